// CsvWriter: timeseries.csv, one row per client sample interval (the server's samples when
// the client series is empty), for spreadsheets and pandas.
//
// Columns, in this fixed order:
//   time_s        end of the interval, seconds since the run started (3 decimals)
//   timestamp_ms  end of the interval, ms since the epoch
//   phase         name of the phase whose (start, end] holds the timestamp; "" between phases
//   client_<col>  every client column in its series order; a counter column (see
//                 ReportStats isGaugeColumn) is written as a rate and named
//                 client_<col>_per_s (count / interval length); gauges and *_ms as sampled
//   server_<col>  the same for the server columns, from the server sample closest in time
//                 to the row's timestamp if it lies within one interval; else empty cells
// RFC 4180: comma separated, "\r\n" line ends, fields with , " or line breaks quoted.
#pragma once

#include "engine/report/RunReport.h"

#include <QByteArray>
#include <QStringList>

namespace perflab::report {

QStringList timeseriesCsvHeader(const RunReport &report);
QByteArray timeseriesCsv(const RunReport &report);

QString csvField(const QString &text);

} // namespace perflab::report
