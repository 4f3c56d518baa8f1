/*
 * ca-notify — the notice daemon.  Every Worker.notify.interval seconds it
 * runs the scheduled scans (site-lease expiry so far; defect deadlines
 * arrive with their module), then feeds the WeChat outbox from the open
 * notices and delivers what is due (notify/outbox.c).
 * `--once` runs one round and exits (tests, cron).  Stops cleanly on
 * SIGTERM.  Several instances may run: every scan is idempotent.
 */
#include <signal.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/wechat.h"
#include "model/notice.h"
#include "notify/outbox.h"

static volatile sig_atomic_t stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

/* One round of every scan; false when the database failed. */
static bool
round_once(void)
{
	int64_t n;

	/* Another instance scanning at the same time may deadlock with this one. */
	for (int try = 0; (n = notice_scan_leases(cfg_int("Reminders.lease_days", 90))) == DB_RETRY &&
	    try < NOTIFY_RETRIES; try++)
		db_pause_retry(try);

	if (n < 0) {
		log_err("lease scan failed");
		return false;
	}
	if (n > 0)
		log_info("lease scan: %lld new notice(s)", (long long)n);
	n = outbox_run(&stopping);
	if (n < 0) {
		log_err("outbox delivery failed");
		return false;
	}
	if (n > 0)
		log_info("outbox: %lld row(s) attempted", (long long)n);
	return true;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	const char *conf = NULL;
	bool once = false;
	int interval;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			conf = argv[++i];
		else if (strcmp(argv[i], "--once") == 0)
			once = true;
		else
			conf = NULL, i = argc;
	}
	if (conf == NULL) {
		fprintf(stderr, "usage: ca-notify --config FILE [--once]\n");
		return 64;
	}
	if (sodium_init() < 0)
		return 1;
	log_set_name("notify");
	cfg_load(conf);
	interval = cfg_int("Worker.notify.interval", 60);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (once) {
		int rc;

		if (db_connect(cfg_root()) != 0)
			return 1;
		rc = round_once() ? 0 : 1;
		wx_cleanup();
		db_disconnect();
		return rc;
	}
	while (db_connect(cfg_root()) != 0 && !stopping)
		sleep(2);
	log_info("started; interval %d s", interval);
	while (!stopping) {
		round_once();
		for (int i = 0; i < interval && !stopping; i++)
			sleep(1);
	}
	wx_cleanup();
	db_disconnect();
	log_info("stopped");
	return 0;
}
