// ProgressLine: one status line on stderr rewritten in place while a run goes ("\r", the text,
// then ESC [K to clear what a longer line left behind), as k6 and Locust show their progress.
// Only when stderr is a terminal and the command was not asked for JSON: piped, or with
// --json, nothing at all is written, so logs and parsers never see it. The text is cut to the
// terminal's width, since a wrapped line cannot be rewritten with "\r".
#pragma once

#include <QString>

namespace perflab::app {

class ProgressLine
{
public:
    // `wanted`: the command would show progress (no --json); it still stays off without a
    // terminal on stderr.
    explicit ProgressLine(bool wanted);
    ~ProgressLine(); // clears the line

    bool isEnabled() const { return m_enabled; }
    void show(const QString &text);
    // Erases the line (before other output to the terminal); show() brings it back.
    void clear();
    // A whole line on stderr where the progress line was (the next show() draws it below).
    void printAbove(const QString &line);

private:
    bool m_enabled = false;
    bool m_shown = false;
};

} // namespace perflab::app
