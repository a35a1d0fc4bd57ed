// Router: literal and templated routes, HEAD via GET, 404/405/422, metric labels.
#include "engine/http/RequestParser.h"
#include "engine/http/Router.h"

#include <QTest>

using namespace perflab::http;

class TestRouter : public QObject
{
    Q_OBJECT

    static HttpRequest request(const QByteArray &method, const QByteArray &target)
    {
        RequestParser parser;
        const QByteArray raw = method + ' ' + target + " HTTP/1.1\r\nHost: h\r\n\r\n";
        parser.parse(raw.constData(), raw.size(), {});
        return parser.takeRequest();
    }

    static Router makeRouter()
    {
        Router router;
        auto ok = [](const HttpRequest &) { return HttpResponse::json(200, "{}"); };
        router.addGet("/hello", ok);                               // 0
        router.addGet("/user/{user_id:int}/serial", ok);           // 1
        router.addGet("/users/{user_id:int}", ok);                 // 2
        router.add(Method::Put, "/users/{user_id:int}", {ok, {}}); // 3
        router.addGet("/files/{name}", ok);                        // 4
        return router;
    }

private Q_SLOTS:
    void matches_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("routeId");
        using K = RouteMatch::Kind;
        QTest::newRow("literal") << QByteArray("GET") << QByteArray("/hello?x=1") << int(K::Found) << 0;
        QTest::newRow("head via get") << QByteArray("HEAD") << QByteArray("/hello") << int(K::Found) << 0;
        QTest::newRow("template") << QByteArray("GET") << QByteArray("/user/42/serial") << int(K::Found) << 1;
        QTest::newRow("negative int") << QByteArray("GET") << QByteArray("/users/-3") << int(K::Found) << 2;
        QTest::newRow("put") << QByteArray("PUT") << QByteArray("/users/3") << int(K::Found) << 3;
        QTest::newRow("string param")
            << QByteArray("GET") << QByteArray("/files/a.txt") << int(K::Found) << 4;
        QTest::newRow("trailing slash")
            << QByteArray("GET") << QByteArray("/hello/") << int(K::NotFound) << -1;
        QTest::newRow("too deep") << QByteArray("GET") << QByteArray("/users/1/x") << int(K::NotFound) << -1;
        QTest::newRow("empty param") << QByteArray("GET") << QByteArray("/users/") << int(K::NotFound) << -1;
        QByteArray deep;
        for (int i = 0; i < 40; ++i)
            deep += "/x";
        QTest::newRow("more segments than any pattern")
            << QByteArray("GET") << deep << int(K::NotFound) << -1;
        QTest::newRow("wrong method")
            << QByteArray("POST") << QByteArray("/hello") << int(K::MethodNotAllowed) << -1;
        QTest::newRow("not int") << QByteArray("GET") << QByteArray("/users/abc") << int(K::InvalidParam)
                                 << 2;
        QTest::newRow("int overflow")
            << QByteArray("GET") << QByteArray("/users/99999999999999999999") << int(K::InvalidParam) << 2;
        // 19 digits, just past qint64 (the fuzzer's find: signed overflow in the digit loop).
        QTest::newRow("int overflow at 19 digits")
            << QByteArray("GET") << QByteArray("/users/9555555555555555555") << int(K::InvalidParam) << 2;
        QTest::newRow("int max") << QByteArray("GET") << QByteArray("/users/9223372036854775807")
                                 << int(K::Found) << 2;
        QTest::newRow("int min") << QByteArray("GET") << QByteArray("/users/-9223372036854775808")
                                 << int(K::Found) << 2;
        QTest::newRow("plus sign") << QByteArray("GET") << QByteArray("/users/+7") << int(K::Found) << 2;
        QTest::newRow("plus minus") << QByteArray("GET") << QByteArray("/users/+-7") << int(K::InvalidParam)
                                    << 2;
        QTest::newRow("sign only") << QByteArray("GET") << QByteArray("/users/-") << int(K::InvalidParam)
                                   << 2;
    }

    void matches()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(int, kind);
        QFETCH(int, routeId);
        Router router = makeRouter();
        HttpRequest req = request(method, target);
        RouteMatch m = router.match(req);
        QCOMPARE(int(m.kind), kind);
        if (m.kind == RouteMatch::Kind::Found)
            QCOMPARE(m.routeId, routeId);
        if (m.kind == RouteMatch::Kind::InvalidParam)
            QCOMPARE(m.errorResponse.status, 422);
    }

    void paramsAreTypedAndNamed()
    {
        Router router = makeRouter();
        HttpRequest req = request("GET", "/user/123/serial");
        QCOMPARE(int(router.match(req).kind), int(RouteMatch::Kind::Found));
        QCOMPARE(req.pathParam("user_id")->intValue, 123);
    }

    void allowListsMethodsAndHead()
    {
        Router router = makeRouter();
        HttpRequest req = request("DELETE", "/users/1");
        RouteMatch m = router.match(req);
        QCOMPARE(m.errorResponse.status, 405);
        QCOMPARE(m.allow, QByteArray("GET, HEAD, PUT"));
    }

    void labelsAreTemplatesWithoutTypes()
    {
        Router router = makeRouter();
        QCOMPARE(router.route(1).label, QByteArray("/user/{user_id}/serial"));
        QCOMPARE(router.route(3).methodName, QByteArray("PUT"));
    }
};

QTEST_GUILESS_MAIN(TestRouter)
#include "test_router.moc"
