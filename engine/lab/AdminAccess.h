// Who may use the lab's /admin routes, decided once from the address the lab binds:
//  - bound to loopback (127.0.0.0/8, ::1, "localhost") without a token: open, as the lab has
//    always been; only processes on this machine reach it, and the desktop window's lab is one;
//  - bound to any other address: a token is required; without a given one a random token is
//    generated (and `perflab serve` prints it);
//  - a token given explicitly is required on any address, loopback included: whoever passes
//    one has said they want the routes closed (other users of a shared machine reach loopback
//    too), and ignoring a security option silently would surprise them.
#pragma once

#include <QString>

namespace perflab::lab {

bool isLoopbackHost(const QString &host);

struct AdminAccess
{
    QString token;          // empty: the /admin routes are open
    bool generated = false; // the token was made here: the caller must show it to the user

    bool required() const { return !token.isEmpty(); }
};

AdminAccess adminAccessFor(const QString &host, const QString &givenToken);

} // namespace perflab::lab
