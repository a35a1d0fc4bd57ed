// See HttpDate.h. Formatted by hand: strftime's day and month names follow the locale.
#include "engine/http/HttpDate.h"

#include <ctime>

namespace perflab::http {

namespace {
struct DateCache
{
    time_t second = -1;
    char text[29];
};
thread_local DateCache t_cache;

void put2(char *p, int v)
{
    p[0] = char('0' + v / 10);
    p[1] = char('0' + v % 10);
}
} // namespace

QByteArrayView currentHttpDate()
{
    timespec now;
    clock_gettime(CLOCK_REALTIME_COARSE, &now);
    if (now.tv_sec != t_cache.second) {
        static constexpr char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
        static constexpr char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        tm t;
        gmtime_r(&now.tv_sec, &t);
        char *p = t_cache.text;
        for (int i = 0; i < 3; ++i)
            p[i] = days[t.tm_wday][i];
        p[3] = ',';
        p[4] = ' ';
        put2(p + 5, t.tm_mday);
        p[7] = ' ';
        for (int i = 0; i < 3; ++i)
            p[8 + i] = months[t.tm_mon][i];
        p[11] = ' ';
        const int year = t.tm_year + 1900;
        put2(p + 12, year / 100);
        put2(p + 14, year % 100);
        p[16] = ' ';
        put2(p + 17, t.tm_hour);
        p[19] = ':';
        put2(p + 20, t.tm_min);
        p[22] = ':';
        put2(p + 23, t.tm_sec);
        p[25] = ' ';
        p[26] = 'G';
        p[27] = 'M';
        p[28] = 'T';
        t_cache.second = now.tv_sec;
    }
    return QByteArrayView(t_cache.text, 29);
}

} // namespace perflab::http
