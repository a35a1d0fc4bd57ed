#include "engine/cluster/LocalPostgres.h"

#include "engine/cluster/ChildProcess.h"

#include <QCollator>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryFile>

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace perflab::cluster {

namespace {

// The newest of /usr/lib/postgresql/<version>/bin, Debian's layout.
QString postgresBinFolder()
{
    QStringList versions =
        QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCollator numeric;
    numeric.setNumericMode(true);
    std::sort(versions.begin(), versions.end(), numeric);
    for (auto it = versions.crbegin(); it != versions.crend(); ++it) {
        const QString bin = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(*it);
        if (QFile::exists(bin + QStringLiteral("/initdb")))
            return bin;
    }
    return QString();
}

QString randomPassword()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString password;
    for (int i = 0; i < 24; ++i)
        password += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(int(sizeof alphabet - 1))]);
    return password;
}

// Makes `path` belong to the postgres user when we are root (initdb and the server run as it).
bool giveToPostgres(const QString &path)
{
    if (!runningAsRoot())
        return true;
    const passwd *user = ::getpwnam("postgres");
    return user && ::chown(QFile::encodeName(path).constData(), user->pw_uid, user->pw_gid) == 0;
}

// Whether the postgres user can reach `folder` (root's home usually is closed to it).
bool postgresCanReach(const QString &folder)
{
    if (!runningAsRoot())
        return true;
    const auto [program, args] =
        asUser(QStringLiteral("postgres"), QStringLiteral("test"), {QStringLiteral("-x"), folder});
    return runToEnd(program, args, 10000).ok;
}

} // namespace

QString LocalPostgres::url() const
{
    return QStringLiteral("postgresql://perflab:%1@127.0.0.1:%2/perflab").arg(m_password).arg(m_port);
}

std::optional<QString> LocalPostgres::start(const QString &folder, int maxConnections)
{
    m_bin = postgresBinFolder();
    if (m_bin.isEmpty())
        return QStringLiteral(
            "PostgreSQL is not installed (Debian package postgresql), and no --db was given");
    QDir().mkpath(folder);
    m_data = postgresCanReach(folder)
                 ? folder + QStringLiteral("/postgres")
                 : QDir::tempPath() + QStringLiteral("/perflab-cluster-postgres-%1").arg(::getuid());
    const QString passwordFile = m_data + QStringLiteral(".password");
    if (!QFile::exists(m_data + QStringLiteral("/.perflab-ready"))) {
        if (auto error = initialise())
            return error;
    }
    QFile stored(passwordFile);
    if (!stored.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read %1: %2").arg(passwordFile, stored.errorString());
    m_password = QString::fromUtf8(stored.readAll()).trimmed();

    // A postmaster left by a cluster that was killed: stop it, or ours cannot start.
    const auto [statusProgram, statusArgs] =
        asUser(QStringLiteral("postgres"), binary(QStringLiteral("pg_ctl")),
               {QStringLiteral("status"), QStringLiteral("-D"), m_data});
    if (runToEnd(statusProgram, statusArgs, 10000).ok) {
        const auto [stopProgram, stopArgs] =
            asUser(QStringLiteral("postgres"), binary(QStringLiteral("pg_ctl")),
                   {QStringLiteral("stop"), QStringLiteral("-D"), m_data, QStringLiteral("-m"),
                    QStringLiteral("immediate"), QStringLiteral("-w")});
        runToEnd(stopProgram, stopArgs, 30000);
    }
    m_port = freeLoopbackPort();
    const QString log = m_data + QStringLiteral("/server.log");
    const auto [program, args] =
        asUser(QStringLiteral("postgres"), binary(QStringLiteral("pg_ctl")),
               {QStringLiteral("start"), QStringLiteral("-D"), m_data, QStringLiteral("-l"), log,
                QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("-o"),
                QStringLiteral("-p %1 -c max_connections=%2").arg(m_port).arg(maxConnections)});
    const RunResult started = runToEnd(program, args, 90000);
    if (!started.ok)
        return QStringLiteral("PostgreSQL did not start in %1: %2; its log says: %3")
            .arg(m_data, started.output, tailOfFile(log));
    m_running = true;
    return std::nullopt;
}

std::optional<QString> LocalPostgres::initialise()
{
    QDir(m_data).removeRecursively(); // a half-made cluster of a run that was stopped
    if (!QDir().mkpath(m_data) || !giveToPostgres(m_data))
        return QStringLiteral("cannot make %1 for PostgreSQL").arg(m_data);
    QFile::setPermissions(m_data, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QString superPassword = randomPassword();
    QTemporaryFile superFile(QDir::tempPath() + QStringLiteral("/perflab-pw-XXXXXX"));
    if (!superFile.open())
        return QStringLiteral("cannot write a temporary password file: %1").arg(superFile.errorString());
    superFile.write(superPassword.toUtf8() + '\n');
    superFile.flush();
    giveToPostgres(superFile.fileName());
    const auto [initProgram, initArgs] = asUser(
        QStringLiteral("postgres"), binary(QStringLiteral("initdb")),
        {QStringLiteral("-D"), m_data, QStringLiteral("-U"), QStringLiteral("postgres"),
         QStringLiteral("--pwfile=%1").arg(superFile.fileName()), QStringLiteral("--auth=scram-sha-256"),
         QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C.UTF-8")});
    const RunResult init = runToEnd(initProgram, initArgs, 120000);
    if (!init.ok)
        return QStringLiteral("initdb failed in %1: %2").arg(m_data, init.output);

    // Loopback TCP with passwords only; no Unix socket (its folder may not be writable for us).
    QFile conf(m_data + QStringLiteral("/postgresql.conf"));
    if (!conf.open(QIODevice::Append))
        return QStringLiteral("cannot write %1: %2").arg(conf.fileName(), conf.errorString());
    conf.write("# perflab cluster\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n");
    conf.close();
    QFile hba(m_data + QStringLiteral("/pg_hba.conf"));
    if (!hba.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QStringLiteral("cannot write %1: %2").arg(hba.fileName(), hba.errorString());
    hba.write(
        "# perflab cluster: loopback TCP with passwords only\nhost all all 127.0.0.1/32 scram-sha-256\n");
    hba.close();

    // Start once to make the role and the database, then stop; start() starts it for real.
    const quint16 port = freeLoopbackPort();
    const QString log = m_data + QStringLiteral("/server.log");
    giveToPostgres(conf.fileName());
    giveToPostgres(hba.fileName());
    const auto [startProgram, startArgs] =
        asUser(QStringLiteral("postgres"), binary(QStringLiteral("pg_ctl")),
               {QStringLiteral("start"), QStringLiteral("-D"), m_data, QStringLiteral("-l"), log,
                QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("-o"),
                QStringLiteral("-p %1").arg(port)});
    const RunResult started = runToEnd(startProgram, startArgs, 90000);
    if (!started.ok)
        return QStringLiteral("PostgreSQL did not start in %1: %2; its log says: %3")
            .arg(m_data, started.output, tailOfFile(log));
    const QString password = randomPassword();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("PGPASSWORD"), superPassword);
    const RunResult made = runToEnd(
        binary(QStringLiteral("psql")),
        {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(port),
         QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("-d"), QStringLiteral("postgres"),
         QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-q"), QStringLiteral("-c"),
         QStringLiteral("CREATE ROLE perflab LOGIN PASSWORD '%1'").arg(password), QStringLiteral("-c"),
         QStringLiteral("CREATE DATABASE perflab OWNER perflab")},
        60000, environment);
    const auto [stopProgram, stopArgs] =
        asUser(QStringLiteral("postgres"), binary(QStringLiteral("pg_ctl")),
               {QStringLiteral("stop"), QStringLiteral("-D"), m_data, QStringLiteral("-m"),
                QStringLiteral("fast"), QStringLiteral("-w")});
    runToEnd(stopProgram, stopArgs, 60000);
    if (!made.ok)
        return QStringLiteral("could not make the perflab role and database: %1").arg(made.output);
    QFile passwordFile(m_data + QStringLiteral(".password"));
    if (!passwordFile.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QStringLiteral("cannot write %1: %2").arg(passwordFile.fileName(), passwordFile.errorString());
    passwordFile.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    passwordFile.write(password.toUtf8() + '\n');
    passwordFile.close();
    QFile ready(m_data + QStringLiteral("/.perflab-ready"));
    ready.open(QIODevice::WriteOnly);
    return std::nullopt;
}

void LocalPostgres::stop()
{
    if (!m_running)
        return;
    m_running = false;
    const auto [program, args] =
        asUser(QStringLiteral("postgres"), binary(QStringLiteral("pg_ctl")),
               {QStringLiteral("stop"), QStringLiteral("-D"), m_data, QStringLiteral("-m"),
                QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("30")});
    runToEnd(program, args, 60000);
}

} // namespace perflab::cluster
