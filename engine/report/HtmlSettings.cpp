// HtmlSettings: see the header.
#include "engine/report/HtmlSettings.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace perflab::report {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 12);
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Null:
        return u"null"_s;
    default:
        return {};
    }
}

void flattenInto(std::map<QString, QString> &out, const QString &prefix, const QJsonObject &object)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + u'.' + it.key();
        if (it.value().isObject())
            flattenInto(out, key, it.value().toObject());
        else
            out[key] = valueText(it.value());
    }
}

QString patchText(const QJsonObject &patch)
{
    if (patch.isEmpty())
        return u"(no settings change)"_s;
    return QString::fromUtf8(QJsonDocument(patch).toJson(QJsonDocument::Indented)).trimmed();
}

} // namespace

std::map<QString, QString> flattenSettings(const QJsonObject &settings)
{
    std::map<QString, QString> flat;
    flattenInto(flat, QString(), settings);
    return flat;
}

QString settingsHtml(const RunReport &report)
{
    QString html;
    std::map<QString, QString> previous;
    bool havePrevious = false;
    for (const PhaseReport &phase : report.phases) {
        html += u"<h3>"_s + esc(phase.name) + u"</h3>\n"_s;
        html += u"<p>Patch applied at the phase start:</p>\n<pre class=\"patch\">"_s +
                esc(patchText(phase.settingsPatch)) + u"</pre>\n"_s;
        if (phase.settings.isEmpty()) {
            html += u"<p>The whole settings are not known (external target).</p>\n"_s;
            havePrevious = false;
            continue;
        }
        const std::map<QString, QString> flat = flattenSettings(phase.settings);
        int changed = 0;
        QString rows;
        for (const auto &[key, value] : flat) {
            const auto before = previous.find(key);
            const bool differs = havePrevious && (before == previous.end() || before->second != value);
            changed += differs ? 1 : 0;
            rows += QStringLiteral("<tr%1><td>%2</td><td>%3</td><td>%4</td></tr>\n")
                        .arg(differs ? u" class=\"changed\""_s : QString(), esc(key), esc(value),
                             differs ? esc(before == previous.end() ? u"(absent)"_s : before->second)
                                     : QString());
        }
        for (const auto &[key, value] : previous) {
            if (havePrevious && !flat.contains(key)) {
                ++changed;
                rows += QStringLiteral("<tr class=\"changed\"><td>%1</td><td>(absent)</td><td>%2</td></tr>\n")
                            .arg(esc(key), esc(value));
            }
        }
        if (havePrevious && changed == 0)
            html += u"<p>No setting differs from the previous phase.</p>\n"_s;
        else if (havePrevious)
            html += QStringLiteral("<p>%1 setting(s) differ from the previous phase (highlighted).</p>\n")
                        .arg(changed);
        html += u"<details%1><summary>All settings (%2)</summary>\n"_s.arg(changed ? u" open"_s : QString())
                    .arg(flat.size());
        html += u"<table class=\"settings\"><thead><tr><th>key</th><th>value</th><th>previous phase</th></tr>"
                "</thead><tbody>\n"_s +
                rows + u"</tbody></table></details>\n"_s;
        previous = flat;
        havePrevious = true;
    }
    return html;
}

} // namespace perflab::report
