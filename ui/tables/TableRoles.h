// TableRoles: the item data roles the lab's table models share beyond Qt's own, so one
// QSortFilterProxyModel setup (TablesPanel) sorts every table by its raw numbers.
#pragma once

#include <Qt>

namespace perflab::ui {

// The raw value behind a cell: a number for numeric columns (so 10 sorts after 9, and "–"
// for "no data" sorts apart as an invalid QVariant), the text for text columns.
inline constexpr int kSortRole = Qt::UserRole;

} // namespace perflab::ui
