// Request bodies of the /db/users routes (DbRoutes.h), validated as FastAPI and pydantic v2 would
// validate the guide's parameters (`user_ids: list[int]`, a list of user dicts, ...), with the
// same 422 shape: {"detail": [{"type", "loc", "msg", "input", "ctx"?}, ...]}, every problem
// listed. Lists are capped (kMaxIds, kMaxNewUsers) so that one request cannot hold a
// connection for minutes; the cap is reported as pydantic's too_long.
#pragma once

#include "engine/db/UserQueries.h"

#include <QByteArray>
#include <QJsonArray>
#include <QList>

#include <variant>
#include <vector>

namespace perflab::lab {

inline constexpr int kMaxIds = 10'000;
inline constexpr int kMaxNewUsers = 50'000;

// [1, 2, 3]: integers (integral floats and numeric strings accepted, as pydantic's lax mode).
std::variant<QList<qint64>, QJsonArray> parseIdList(const QByteArray &body);

// [{"name": str, "email": EmailStr, "bio": str = "", "is_active": bool = true}, ...]
std::variant<std::vector<db::NewUser>, QJsonArray> parseNewUsers(const QByteArray &body);

struct BulkStatus
{
    QList<qint64> ids;
    bool isActive = true;
};
// {"ids": [int], "is_active": bool}
std::variant<BulkStatus, QJsonArray> parseBulkStatus(const QByteArray &body);

} // namespace perflab::lab
