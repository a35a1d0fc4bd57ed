// See MultiSuiteMain.h.
#include "MultiSuiteMain.h"

#include <QMetaMethod>
#include <QTest>

namespace perflab::test {

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

int runTestClasses(int argc, char **argv, const std::vector<std::unique_ptr<QObject>> &tests)
{
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

} // namespace perflab::test
