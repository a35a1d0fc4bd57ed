// Scenario files: reading one from disk or from the engine's resources (the built-in
// scenarios, resources/scenarios/*.json), and resolving a `perflab run` argument.
#include "engine/scenario/Scenario.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <algorithm>

// Q_INIT_RESOURCE declares a function of the global namespace. The engine is a static
// library: the resources must be registered by code the executable surely links, and the
// built-in scenarios may be asked for before anything else touches the resources.
// Registering twice is harmless (Qt keeps one copy).
static void registerEngineResourcesForScenarios()
{
    Q_INIT_RESOURCE(engine);
}

namespace perflab::scenario {

namespace {

const QString kBuiltinFolder = QStringLiteral(":/perflab/scenarios");

// "line L, column C" of a byte offset, for the JSON parser's error.
QString lineAndColumn(const QByteArray &text, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, text.size());
    int line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        if (text.at(i) == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    return QStringLiteral("line %1, column %2").arg(line).arg(offset - lineStart + 1);
}

} // namespace

std::variant<Scenario, ScenarioError> loadScenarioFile(const QString &path)
{
    registerEngineResourcesForScenarios();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return ScenarioError{path, QString(),
                             QStringLiteral("cannot read the file: %1").arg(file.errorString())};
    const QByteArray text = file.readAll();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return ScenarioError{path, QString(),
                             QStringLiteral("invalid JSON at %1 (offset %2): %3")
                                 .arg(lineAndColumn(text, parseError.offset))
                                 .arg(parseError.offset)
                                 .arg(parseError.errorString())};
    if (!document.isObject())
        return ScenarioError{path, QString(),
                             QStringLiteral("expected a JSON object {\"name\", \"requests\", "
                                            "\"phases\", ...} at the top level")};
    return parseScenario(document.object(), path);
}

std::vector<BuiltinScenario> builtinScenarios()
{
    registerEngineResourcesForScenarios();
    std::vector<BuiltinScenario> result;
    const QStringList files =
        QDir(kBuiltinFolder).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &fileName : files) {
        BuiltinScenario builtin;
        builtin.id = fileName.chopped(5); // ".json"
        builtin.resourcePath = kBuiltinFolder + QLatin1Char('/') + fileName;
        auto loaded = loadScenarioFile(builtin.resourcePath);
        if (auto *error = std::get_if<ScenarioError>(&loaded)) {
            // Part of the build: the tests parse every one, so this is a programming error.
            qWarning("built-in scenario %s: %s", qPrintable(builtin.id), qPrintable(error->toString()));
            builtin.name = builtin.id;
            builtin.description = error->toString();
        } else {
            const Scenario &scenario = std::get<Scenario>(loaded);
            builtin.name = scenario.name;
            builtin.description = scenario.description;
        }
        result.push_back(std::move(builtin));
    }
    return result;
}

QString resolveScenarioPath(const QString &argument)
{
    if (QFileInfo(argument).isFile())
        return argument;
    registerEngineResourcesForScenarios();
    const QString builtin = kBuiltinFolder + QLatin1Char('/') + argument + QStringLiteral(".json");
    // An id only: "caching", not "../sql/schema" or a path that merely failed to exist.
    if (!argument.isEmpty() && !argument.contains(QLatin1Char('/')) && QFileInfo::exists(builtin))
        return builtin;
    return argument; // the caller's load then reports "cannot read"
}

} // namespace perflab::scenario
