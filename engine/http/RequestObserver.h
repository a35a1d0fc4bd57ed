// How the server reports each request to the metrics layer without knowing about it.
// Every worker thread gets its own WorkerRecorder, called only from that thread, so an
// implementation can record without locks.
#pragma once

#include "engine/http/HttpRequest.h"

#include <cstdint>
#include <memory>

namespace perflab::http {

struct FinishedRequest
{
    int routeId = -1; // -1: no route matched (404, or a request rejected before routing)
    Method method = Method::Other;
    int status = 0; // 499: the client went away before the response was ready
    int64_t durationNs = 0;
    int64_t bytesOut = 0;           // response bytes written for this request, head included
    QByteArrayView contentEncoding; // empty: identity
};

class WorkerRecorder
{
public:
    virtual ~WorkerRecorder() = default;
    virtual void requestStarted() = 0;
    virtual void requestFinished(const FinishedRequest &request) = 0;
    virtual void connectionOpened() = 0;
    virtual void connectionClosed() = 0;
};

class RequestObserver
{
public:
    virtual ~RequestObserver() = default;
    // Called once on each worker thread when it starts.
    virtual std::unique_ptr<WorkerRecorder> createWorkerRecorder(int workerIndex) = 0;
};

} // namespace perflab::http
