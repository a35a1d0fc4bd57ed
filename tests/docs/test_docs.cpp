// The repository's documentation checked against the code it describes, so that a flag or a
// settings field cannot be added without its page, and a page cannot point at a document a
// reader of the repository does not have:
// - every flag that `perflab --help`, `perflab load --help` and `perflab knee --help` print is
//   in docs/reference/command-line.md;
// - every field of the engine's settings table (engine/settings/SettingsFields.h) has its row
//   in docs/reference/settings.md, with its range or choices, its unit and when it takes
//   effect as the table says;
// - no source or documentation file refers to files outside the repository (the product
//   contract and style guide the project was started from), which a reader cannot open.
#include "engine/settings/SettingsFields.h"

#include <algorithm>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

class TestDocs : public QObject
{
    Q_OBJECT

    static QString sourceDir() { return QStringLiteral(PERFLAB_SOURCE_DIR); }

    static QString readDoc(const QString &relative)
    {
        QFile file(QDir(sourceDir()).filePath(relative));
        if (!file.open(QIODevice::ReadOnly))
            return QString();
        return QString::fromUtf8(file.readAll());
    }

    // What `perflab ARGS` prints on stdout and stderr together.
    static QString perflabOutput(const QStringList &args)
    {
        QProcess process;
        process.setProgram(QStringLiteral(PERFLAB_BINARY));
        process.setArguments(args);
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start();
        if (!process.waitForFinished(30000)) {
            process.kill();
            process.waitForFinished();
            return QString();
        }
        return QString::fromUtf8(process.readAll());
    }

    // The flags a usage text names: --long-flags and single-letter -c style ones, not the
    // dashes inside words (non-blocking) or the tails of long flags (--start-rate's -rate).
    static QSet<QString> flagsIn(const QString &text)
    {
        static const QRegularExpression flag(
            QStringLiteral("(?<![\\w-])(--[a-z0-9][a-z0-9-]*|-[A-Za-z])(?![\\w-])"));
        QSet<QString> flags;
        for (auto it = flag.globalMatch(text); it.hasNext();)
            flags.insert(it.next().captured(1));
        return flags;
    }

    static bool mentions(const QString &doc, const QString &flag)
    {
        const QRegularExpression exact(
            QStringLiteral("(?<![\\w-])%1(?![\\w-])").arg(QRegularExpression::escape(flag)));
        return exact.match(doc).hasMatch();
    }

    static QString numberText(double v) { return QString::number(v, 'g', 12); }

private Q_SLOTS:
    void everyFlagIsInTheCommandLineReference()
    {
        const QString doc = readDoc(QStringLiteral("docs/reference/command-line.md"));
        QVERIFY2(!doc.isEmpty(), "docs/reference/command-line.md is missing or empty");

        const QList<QStringList> usages = {
            {QStringLiteral("--help")},
            {QStringLiteral("load"), QStringLiteral("--help")},
            {QStringLiteral("knee"), QStringLiteral("--help")},
        };
        QStringList missing;
        int seen = 0;
        for (const QStringList &args : usages) {
            const QString usage = perflabOutput(args);
            QVERIFY2(usage.contains(QLatin1String("usage")),
                     qPrintable(QStringLiteral("perflab %1 printed no usage: %2")
                                    .arg(args.join(QLatin1Char(' ')), usage)));
            const QSet<QString> flags = flagsIn(usage);
            seen += int(flags.size());
            for (const QString &flag : flags) {
                if (!mentions(doc, flag))
                    missing << QStringLiteral("%1 (printed by perflab %2)")
                                   .arg(flag, args.join(QLatin1Char(' ')));
            }
        }
        QVERIFY2(seen > 20, "the usage texts named suspiciously few flags");
        missing.removeDuplicates();
        missing.sort();
        for (const QString &m : std::as_const(missing))
            qWarning("not in docs/reference/command-line.md: %s", qPrintable(m));
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("%1 flag(s) missing from docs/reference/command-line.md: %2")
                                .arg(missing.size())
                                .arg(missing.join(QStringLiteral(", ")))));
    }

    void everySettingsFieldIsInTheSettingsReference()
    {
        using namespace perflab::settings;
        const QString doc = readDoc(QStringLiteral("docs/reference/settings.md"));
        QVERIFY2(!doc.isEmpty(), "docs/reference/settings.md is missing or empty");

        // Each field's row: | `section.name` | type | range | unit | default | effect | ... |
        QHash<QString, QStringList> rows;
        for (const QString &line : doc.split(QLatin1Char('\n'))) {
            if (!line.trimmed().startsWith(QLatin1Char('|')))
                continue;
            QStringList cells = line.trimmed().split(QLatin1Char('|'));
            for (QString &cell : cells)
                cell = cell.trimmed();
            if (cells.size() < 8)
                continue;
            QString key = cells[1];
            if (key.startsWith(QLatin1Char('`')) && key.endsWith(QLatin1Char('`')) && key.size() > 2)
                rows.insert(key.mid(1, key.size() - 2), cells.mid(1));
        }

        QStringList problems;
        for (const SettingField &field : settingFields()) {
            const QString path = field.path();
            if (!rows.contains(path)) {
                problems << QStringLiteral("%1: no row `| \\`%1\\` | type | range | unit | ... |`").arg(path);
                continue;
            }
            const QStringList &cells = rows[path];
            const QString &range = cells[2];
            const QString &unit = cells[3];
            QStringList expected;
            switch (field.type) {
            case FieldType::Int:
            case FieldType::Double:
                expected << QStringLiteral("%1 to %2").arg(numberText(field.min), numberText(field.max));
                break;
            case FieldType::Choice:
                for (const QString &choice : field.choices)
                    expected << QStringLiteral("`%1`").arg(choice);
                break;
            case FieldType::Bool:
                expected << QStringLiteral("true") << QStringLiteral("false");
                break;
            case FieldType::String:
                break;
            }
            for (const QString &part : std::as_const(expected)) {
                if (!range.contains(part))
                    problems << QStringLiteral("%1: range cell '%2' lacks '%3'").arg(path, range, part);
            }
            const QString expectedEffect =
                field.effect == FieldEffect::NextStart ? QStringLiteral("start") : QStringLiteral("live");
            if (cells[5] != expectedEffect)
                problems << QStringLiteral("%1: effect cell '%2', the field table says '%3'")
                                .arg(path, cells[5], expectedEffect);
            const QString expectedUnit = field.unit.isEmpty() ? QStringLiteral("—") : field.unit;
            if (unit != expectedUnit)
                problems << QStringLiteral("%1: unit cell '%2', the field table says '%3'")
                                .arg(path, unit, expectedUnit);
        }
        for (const SettingsSection &section : settingsSections()) {
            if (!doc.contains(QStringLiteral("`%1`").arg(section.key)))
                problems << QStringLiteral("section %1 (%2) is not named").arg(section.key, section.title);
        }
        for (const QString &p : std::as_const(problems))
            qWarning("docs/reference/settings.md: %s", qPrintable(p));
        QVERIFY2(problems.isEmpty(),
                 qPrintable(QStringLiteral("%1 problem(s) in docs/reference/settings.md, first: %2")
                                .arg(problems.size())
                                .arg(problems.value(0))));
    }

    void noReferencesOutsideTheRepository()
    {
        // Written so that this file does not match itself.
        static const QRegularExpression outside(
            QStringLiteral("\\.\\.\\x2Fshared|SPEC\\x20\\x{00A7}|STYLE\\x20\\x{00A7}|issue\\x20[0-9]"));
        static const QSet<QString> suffixes = {QStringLiteral("cpp"), QStringLiteral("h"),
                                               QStringLiteral("md"), QStringLiteral("txt"),
                                               QStringLiteral("sh")};
        const QDir root(sourceDir());
        QStringList offending;
        int files = 0;
        QDirIterator it(sourceDir(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString relative = root.relativeFilePath(path);
            const QStringList parts = relative.split(QLatin1Char('/'));
            if (parts.first().startsWith(QLatin1String("build")) ||
                parts.contains(QLatin1String("node_modules")) ||
                std::any_of(parts.begin(), parts.end(),
                            [](const QString &p) { return p.startsWith(QLatin1Char('.')); }))
                continue;
            if (!suffixes.contains(it.fileInfo().suffix()))
                continue;
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            ++files;
            const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
            for (qsizetype i = 0; i < lines.size(); ++i) {
                if (outside.match(lines[i]).hasMatch())
                    offending << QStringLiteral("%1:%2: %3").arg(relative).arg(i + 1).arg(lines[i].trimmed());
            }
        }
        QVERIFY2(files > 100, "found suspiciously few files to check");
        offending.sort();
        for (const QString &line : std::as_const(offending))
            qWarning("%s", qPrintable(line));
        QVERIFY2(
            offending.isEmpty(),
            qPrintable(QStringLiteral("%1 line(s) refer to documents outside the repository (listed above)")
                           .arg(offending.size())));
    }
};

QTEST_GUILESS_MAIN(TestDocs)
#include "test_docs.moc"
