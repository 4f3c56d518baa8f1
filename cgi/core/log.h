/*
 * log.h — one-line log records on stderr (the supervisor sends stderr to
 * var/log/<worker>.log).  Every line carries the current request id so a
 * user-visible error reference leads to its log lines.
 */
#ifndef CA_LOG_H
#define CA_LOG_H

/* The id of the request being served, or "-" between requests. */
void log_set_request_id(const char *id);
const char *log_request_id(void);
void log_set_name(const char *name);

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
