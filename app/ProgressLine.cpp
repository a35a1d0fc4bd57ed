// See ProgressLine.h.
#include "ProgressLine.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>

namespace perflab::app {

namespace {
int terminalColumns()
{
    winsize size{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    return 80;
}
} // namespace

ProgressLine::ProgressLine(bool wanted) : m_enabled(wanted && isatty(STDERR_FILENO) == 1) {}

ProgressLine::~ProgressLine()
{
    clear();
}

void ProgressLine::show(const QString &text)
{
    if (!m_enabled)
        return;
    // One column short of the width: a line that fills it would wrap on some terminals.
    const QString fitted = text.left(qMax(10, terminalColumns() - 1));
    std::fprintf(stderr, "\r%s\x1b[K", qPrintable(fitted));
    std::fflush(stderr);
    m_shown = true;
}

void ProgressLine::clear()
{
    if (!m_enabled || !m_shown)
        return;
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    m_shown = false;
}

void ProgressLine::printAbove(const QString &line)
{
    // The progress line is not drawn again here: what it said may be out of date by now
    // (a new phase), and the next show() comes within a quarter of a second.
    clear();
    std::fprintf(stderr, "%s\n", qPrintable(line));
    std::fflush(stderr);
}

} // namespace perflab::app
