// test_cache: runs every QTest class of the cache module in one executable.
//
// Test function names on the command line (e.g. `test_cache lruEvictionOrder` or
// `ttlExpiry:expired...`) go to the classes that have them; the other classes are skipped.
// Options (-o, -v2, ...) go to every class.
#include <QCoreApplication>
#include <QMetaMethod>
#include <QTest>

#include <memory>
#include <vector>

std::unique_ptr<QObject> createMemoryCacheTests();
std::unique_ptr<QObject> createCacheHotPathTests();
std::unique_ptr<QObject> createUserRoutesTests();

namespace {

bool hasTestFunction(const QObject &test, QByteArrayView name)
{
    const QMetaObject *meta = test.metaObject();
    for (int i = meta->methodOffset(); i < meta->methodCount(); ++i) {
        if (meta->method(i).name() == name)
            return true;
    }
    return false;
}

// Options that take a value (the value is not a function name).
bool takesValue(QByteArrayView option)
{
    for (const char *withValue :
         {"-o", "-eventdelay", "-keydelay", "-mousedelay", "-maxwarnings", "-platform", "-repeat",
          "-iterations", "-median", "-minimumvalue", "-minimumtotal", "-seed"}) {
        if (option == withValue)
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::vector<std::unique_ptr<QObject>> tests;
    tests.push_back(createMemoryCacheTests());
    tests.push_back(createCacheHotPathTests());
    tests.push_back(createUserRoutesTests());

    int failures = 0;
    for (const auto &test : tests) {
        std::vector<char *> arguments{argv[0]};
        bool functionsGiven = false;
        bool functionsMatched = false;
        for (int i = 1; i < argc; ++i) {
            const QByteArrayView argument(argv[i]);
            if (argument.startsWith('-')) {
                arguments.push_back(argv[i]);
                if (takesValue(argument) && i + 1 < argc)
                    arguments.push_back(argv[++i]);
                continue;
            }
            functionsGiven = true;
            const qsizetype colon = argument.indexOf(':');
            if (hasTestFunction(*test, colon < 0 ? argument : argument.first(colon))) {
                functionsMatched = true;
                arguments.push_back(argv[i]);
            }
        }
        if (functionsGiven && !functionsMatched)
            continue;
        failures += QTest::qExec(test.get(), static_cast<int>(arguments.size()), arguments.data());
    }
    return failures == 0 ? 0 : 1;
}
