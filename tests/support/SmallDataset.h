// The lab starts by making its demo dataset (1,000,000 users by default: seconds, and
// hundreds of MB). Suites that start a lab for other reasons use this small one instead.
#pragma once

#include <QByteArray>
#include <QString> // operator+ of QByteArrays under QT_USE_QSTRINGBUILDER

namespace perflab::test {

inline constexpr int kSmallDatasetUsers = 2000;
inline constexpr int kSmallDatasetOrders = 6000;

// The "database" section for a settings file: {"dataset_users": 2000, "dataset_orders": 6000}
inline QByteArray smallDatasetJson()
{
    return QByteArray(R"({"dataset_users":)") + QByteArray::number(kSmallDatasetUsers) +
           R"(,"dataset_orders":)" + QByteArray::number(kSmallDatasetOrders) + "}";
}

} // namespace perflab::test
