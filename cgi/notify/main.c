/*
 * ca-notify — the notice daemon.  Scheduled reminders (site-lease expiry,
 * overdue defects …) and WeChat delivery from the outbox arrive with
 * later modules; for now it keeps its database connection alive, reports
 * a heartbeat, and stops cleanly on SIGTERM so the supervisor scripts and
 * systemd units are already right.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"

static volatile sig_atomic_t stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static const struct query q_ping = { "SELECT 1", "", "l" };

int
main(int argc, char **argv)
{
	struct sigaction sa;
	int interval;

	if (argc != 3 || strcmp(argv[1], "--config") != 0) {
		fprintf(stderr, "usage: ca-notify --config FILE\n");
		return 64;
	}
	log_set_name("notify");
	cfg_load(argv[2]);
	interval = cfg_int("Worker.notify.interval", 60);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (db_connect(cfg_root()) != 0 && !stopping)
		sleep(2);
	log_info("started; interval %d s", interval);
	while (!stopping) {
		if (db_scalar(0, &q_ping) != 1)
			log_warn("database ping failed");
		for (int i = 0; i < interval && !stopping; i++)
			sleep(1);
	}
	db_disconnect();
	log_info("stopped");
	return 0;
}
