/*
 * log.c — timestamped log lines: time, worker name, pid, request id,
 * level, message.  Lines are written with one write() so lines from
 * several processes sharing a log file do not interleave.
 */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char request_id[40] = "-";
static char worker_name[32] = "ca";

void
log_set_request_id(const char *id)
{
	snprintf(request_id, sizeof(request_id), "%s", id ? id : "-");
}

const char *
log_request_id(void)
{
	return request_id;
}

void
log_set_name(const char *name)
{
	snprintf(worker_name, sizeof(worker_name), "%s", name);
}

static void
log_line(const char *level, const char *fmt, va_list ap)
{
	char line[2048];
	struct timespec ts;
	struct tm tm;
	int n, m;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof(line),
	    "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s[%d] %s %s: ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, worker_name,
	    (int)getpid(), request_id, level);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		m = 0;
	n += m;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* Nowhere else to report it. */
	}
}

#define LOG_FN(fn, level)                   \
	void fn(const char *fmt, ...)       \
	{                                   \
		va_list ap;                 \
		va_start(ap, fmt);          \
		log_line(level, fmt, ap);   \
		va_end(ap);                 \
	}

LOG_FN(log_info, "info")
LOG_FN(log_warn, "warn")
LOG_FN(log_err, "error")
