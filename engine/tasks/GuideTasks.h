// The guide's task functions (chapter 2) as named handlers. A payload holds the function's
// keyword arguments, as Celery and ARQ pass them:
//
//   send_email        {email, subject, body}  2 s (x io_scale), then counts the email as sent
//   write_log         {message}               appends "message\n" to <data>/log.txt (blocking
//                                             file I/O, so it runs on the blocking pool, as
//                                             Starlette runs a sync background function)
//   process_task      {data}                  ARQ: 5 s (x io_scale), {"processed": data}
//   process_data      {data}                  Celery: 10 s (x io_scale), {"processed": data}
//   send_email_task   {to, subject}           ARQ: {"sent_to": to}
//   send_batch_emails {emails}                Celery: {"sent": len(emails)}
//
// The effects are observable: the log file's lines, and notifications_sent_total in the
// registry. The delays end early with async::Cancelled when the queue stops.
#pragma once

#include <QString>

namespace perflab::metrics {
class Registry;
}
namespace perflab::settings {
class SettingsStore;
}

namespace perflab::tasks {

class JobHandlers;

// `settings` and `registry` must outlive the handlers.
void addGuideTaskHandlers(JobHandlers &handlers, const settings::SettingsStore &settings,
                          metrics::Registry &registry, const QString &dataDir);

// <dataDir>/log.txt, the guide's "log.txt".
QString taskLogPath(const QString &dataDir);

// Appends one line to a text file, serialised within the process. Blocking: call it off the
// event loop (async::runBlocking). Returns false when the file cannot be written.
bool appendLine(const QString &path, const QString &line);

} // namespace perflab::tasks
