// The guide's chapter 2 routes: background tasks and the durable job queue.
//
//   POST /send-notification  {"email","subject","body"} (EmailStr validated, 422 otherwise);
//                            answers {"message":"Notification will be sent in the background"}
//                            and adds send_email + write_log as background tasks
//   GET  /items/             {"items":[]}, with a "Request processed" write_log task added as
//                            by a dependency
//   POST /process            any JSON object -> process_data job (Celery), {"task_id": id}
//   GET  /task/{task_id}     {"status": pending|running|completed|failed, "result": ...}; 404
//   POST /enqueue            any JSON object -> process_task job (ARQ), {"job_id": id}
//   GET  /job/{job_id}       as /task/{task_id}
//
// When the queue cannot take or look up a job: 503 {"detail": "Job queue unavailable: <why>"},
// e.g. "Job queue unavailable: Redis unreachable: connection refused at 127.0.0.1:6379".
//
// Background tasks follow background.mode live (see tasks/BackgroundTasks.h).
#pragma once

namespace perflab::http {
class Router;
}
namespace perflab::tasks {
class BackgroundRunner;
}

namespace perflab::lab {

// `runner` (and through it the job queue) must outlive the server using the router.
void addTaskRoutes(http::Router &router, const tasks::BackgroundRunner &runner);

} // namespace perflab::lab
