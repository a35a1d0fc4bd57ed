// PdfCursor: see the header.
#include "ui/report/PdfCursor.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPdfWriter>

#include <algorithm>
#include <numeric>

namespace perflab::ui {

PdfCursor::PdfCursor(QPdfWriter &writer, QPainter &painter, QString footer)
    : m_writer(writer), m_painter(painter), m_footer(std::move(footer))
{
    m_width = writer.width();
    m_bottom = writer.height() - mm(8);
}

double PdfCursor::mm(double millimetres) const
{
    return millimetres * m_writer.resolution() / 25.4;
}

QFont PdfCursor::font(double pointSize, bool bold) const
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPointSizeF(pointSize);
    f.setBold(bold);
    return f;
}

double PdfCursor::lineHeight(const QFont &f) const
{
    return QFontMetricsF(f, &m_writer).lineSpacing();
}

void PdfCursor::space(double millimetres)
{
    m_y += mm(millimetres);
}

QRectF PdfCursor::take(double height)
{
    if (m_y + height > m_bottom && m_y > 0)
        newPage();
    const QRectF block(0, m_y, m_width, height);
    m_y += height;
    return block;
}

void PdfCursor::newPage()
{
    drawFooter();
    m_writer.newPage();
    ++m_page;
    m_y = 0;
}

void PdfCursor::drawFooter()
{
    const QFont f = font(7.5);
    m_painter.setFont(f);
    m_painter.setPen(QColor(0x77, 0x77, 0x77));
    const QRectF line(0, m_writer.height() - lineHeight(f), m_width, lineHeight(f));
    m_painter.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, m_footer);
    m_painter.drawText(line, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("page %1").arg(m_page));
}

void PdfCursor::finish()
{
    drawFooter();
}

void PdfCursor::heading(const QString &text, int level)
{
    const QFont f = font(level <= 1 ? 18 : 12.5, true);
    if (level > 1)
        space(3);
    // A section heading never ends a page alone: keep room for a few lines under it.
    const QRectF block = take(lineHeight(f) * (level <= 1 ? 1.2 : 1.1));
    if (level > 1 && remaining() < lineHeight(f) * 4) {
        newPage();
        heading(text, level);
        return;
    }
    m_painter.setFont(f);
    m_painter.setPen(level <= 1 ? Qt::black : QColor(0x1a, 0x3d, 0x6b));
    m_painter.drawText(block, Qt::AlignLeft | Qt::AlignBottom, text);
    space(1);
}

void PdfCursor::paragraph(const QString &text, const QColor &colour, double pointSize)
{
    const QFont f = font(pointSize);
    const QRectF bounds =
        QFontMetricsF(f, &m_writer)
            .boundingRect(QRectF(0, 0, m_width, 1e6), Qt::TextWordWrap | Qt::AlignLeft, text);
    const QRectF block = take(bounds.height());
    m_painter.setFont(f);
    m_painter.setPen(colour);
    m_painter.drawText(block, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, text);
    space(1.5);
}

void PdfCursor::keyValues(const std::vector<std::pair<QString, QString>> &rows)
{
    const QFont keyFont = font(9.5, true);
    const QFont valueFont = font(9.5);
    const double keyWidth = mm(32);
    for (const auto &[key, value] : rows) {
        const QRectF valueBounds =
            QFontMetricsF(valueFont, &m_writer)
                .boundingRect(QRectF(0, 0, m_width - keyWidth, 1e6), Qt::TextWordWrap, value);
        const QRectF block = take(std::max(valueBounds.height(), lineHeight(valueFont)) + mm(0.8));
        m_painter.setPen(Qt::black);
        m_painter.setFont(keyFont);
        m_painter.drawText(QRectF(block.left(), block.top(), keyWidth, block.height()),
                           Qt::AlignLeft | Qt::AlignTop, key);
        m_painter.setFont(valueFont);
        m_painter.drawText(QRectF(block.left() + keyWidth, block.top(), m_width - keyWidth, block.height()),
                           Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, value);
    }
    space(1.5);
}

void PdfCursor::table(const PdfTable &table)
{
    const QFont headerFont = font(7.5, true);
    const QFont cellFont = font(7.5);
    const QFont noteFont = font(6.5);
    const double total = std::accumulate(table.weights.begin(), table.weights.end(), 0.0);
    std::vector<double> widths;
    for (double weight : table.weights)
        widths.push_back(total > 0 ? m_width * weight / total : 0);
    const double pad = mm(1);
    bool anyNote = false;
    for (const auto &row : table.rows)
        for (const PdfCell &cell : row)
            anyNote = anyNote || !cell.note.isEmpty();
    const double headerHeight = lineHeight(headerFont) * 2 + pad * 2; // headers may wrap once
    const double rowHeight = lineHeight(cellFont) + (anyNote ? lineHeight(noteFont) : 0) + pad * 2;

    const auto alignment = [&](std::size_t column) {
        const bool text =
            std::find(table.textColumns.begin(), table.textColumns.end(), column) != table.textColumns.end();
        return text ? Qt::AlignLeft : Qt::AlignRight;
    };
    const auto drawHeader = [&] {
        const QRectF block = take(headerHeight);
        m_painter.fillRect(block, QColor(0xe8, 0xec, 0xf2));
        m_painter.setFont(headerFont);
        m_painter.setPen(Qt::black);
        double x = 0;
        for (std::size_t c = 0; c < widths.size() && c < std::size_t(table.headers.size()); ++c) {
            const QRectF cell(x + pad, block.top() + pad, widths[c] - 2 * pad, block.height() - 2 * pad);
            m_painter.drawText(cell, alignment(c) | Qt::AlignBottom | Qt::TextWordWrap,
                               table.headers[qsizetype(c)]);
            x += widths[c];
        }
    };
    if (remaining() < headerHeight + rowHeight)
        newPage();
    drawHeader();
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        if (remaining() < rowHeight) {
            newPage();
            drawHeader();
        }
        const QRectF block = take(rowHeight);
        if (r % 2 == 1)
            m_painter.fillRect(block, QColor(0xf6, 0xf7, 0xf9));
        double x = 0;
        for (std::size_t c = 0; c < widths.size() && c < table.rows[r].size(); ++c) {
            const PdfCell &cell = table.rows[r][c];
            const QRectF inner(x + pad, block.top() + pad, widths[c] - 2 * pad, lineHeight(cellFont));
            m_painter.setFont(cellFont);
            m_painter.setPen(Qt::black);
            m_painter.drawText(
                inner, alignment(c) | Qt::AlignVCenter,
                QFontMetricsF(cellFont, &m_writer).elidedText(cell.text, Qt::ElideRight, inner.width()));
            if (!cell.note.isEmpty()) {
                m_painter.setFont(noteFont);
                m_painter.setPen(cell.noteColour);
                m_painter.drawText(inner.translated(0, lineHeight(cellFont)), alignment(c) | Qt::AlignVCenter,
                                   cell.note);
            }
            x += widths[c];
        }
    }
    m_painter.setPen(QPen(QColor(0xc0, 0xc4, 0xcc), mm(0.2)));
    m_painter.drawLine(QPointF(0, m_y), QPointF(m_width, m_y));
    space(2);
}

} // namespace perflab::ui
