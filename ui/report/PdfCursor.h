// PdfCursor: flowing layout on a QPdfWriter for report.pdf: headings, wrapped paragraphs,
// key/value lists and tables are placed one under the other, and a block that does not fit
// on the page starts the next one (a table repeats its header there). Every page gets a
// footer line with its number. Lengths are device pixels of the writer (300 dpi: 1 mm is
// about 11.8 px); fonts are set in points, so text keeps its size at any resolution.
#pragma once

#include <QColor>
#include <QFont>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <utility>
#include <vector>

class QPainter;
class QPdfWriter;

namespace perflab::ui {

struct PdfCell
{
    QString text;
    QString note; // a second, smaller line (e.g. the change against the previous row)
    QColor noteColour = QColor(0x55, 0x55, 0x55);
};

struct PdfTable
{
    QStringList headers;
    std::vector<double> weights; // relative column widths, one per header
    std::vector<std::vector<PdfCell>> rows;
    std::vector<std::size_t> textColumns{0}; // left-aligned; every other column is right-aligned
};

class PdfCursor
{
public:
    PdfCursor(QPdfWriter &writer, QPainter &painter, QString footer);

    double width() const { return m_width; }
    double remaining() const { return m_bottom - m_y; }

    void heading(const QString &text, int level = 1); // 1: the title, 2: a section
    void paragraph(const QString &text, const QColor &colour = Qt::black, double pointSize = 9.5);
    void keyValues(const std::vector<std::pair<QString, QString>> &rows);
    void table(const PdfTable &table);
    void space(double mm);
    // A block of `height` px, on this page when it fits, else at the top of the next.
    QRectF take(double height);
    void finish(); // the last page's footer

private:
    void newPage();
    void drawFooter();
    QFont font(double pointSize, bool bold = false) const;
    double lineHeight(const QFont &font) const;
    double mm(double millimetres) const;

    QPdfWriter &m_writer;
    QPainter &m_painter;
    QString m_footer;
    double m_width = 0;
    double m_bottom = 0; // above the footer
    double m_y = 0;
    int m_page = 1;
};

} // namespace perflab::ui
