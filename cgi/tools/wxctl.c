/*
 * ca-wxctl — the WeChat client from the command line, for operators and
 * for tests (two of these running at once are two worker processes
 * sharing the token cache).  Secrets are never printed: a token or ticket
 * shows as its mask.
 *
 *   ca-wxctl --config FILE token | ticket
 *   ca-wxctl --config FILE jsconfig URL
 *   ca-wxctl --config FILE oauth CODE
 *   ca-wxctl --config FILE template OPENID TEMPLATE_ID CLIENT_MSG_ID [KEY=VALUE...]
 *   ca-wxctl --config FILE subscribe OPENID TEMPLATE_ID [TEXT]
 *   ca-wxctl --config FILE robot KEY TEXT
 *   ca-wxctl --config FILE media MEDIA_ID
 *
 * Prints one line "ok …" or "error <status> errcode <n> …"; exits 0 on
 * success, 2 on a WeChat error, 64 on bad usage, 1 without a database.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/wechat.h"

static int
usage(void)
{
	fprintf(stderr, "usage: ca-wxctl --config FILE token|ticket|jsconfig URL|oauth CODE|\n"
	    "       template OPENID TEMPLATE_ID CLIENT_MSG_ID [KEY=VALUE...]|subscribe OPENID TEMPLATE_ID [TEXT]|\n"
	    "       robot KEY TEXT|media MEDIA_ID\n");
	return 64;
}

static int
report(int rc, const struct wx_result *res, const char *what)
{
	if (rc == WX_OK) {
		printf("ok %s\n", what);
		return 0;
	}
	printf("error %s errcode %d attempts %d unknown %d %s\n", wx_status_name(rc),
	    res ? res->errcode : 0, res ? res->attempts : 0, res ? (int)res->unknown : 0,
	    res ? res->errmsg : "");
	return 2;
}

int
main(int argc, char **argv)
{
	struct wx_result res = { 0 };
	char val[1024], mask[64], line[256];
	const char *conf = NULL, *cmd;
	int i = 1, rc, out;

	if (argc > 2 && strcmp(argv[1], "--config") == 0) {
		conf = argv[2];
		i = 3;
	}
	if (conf == NULL || i >= argc)
		return usage();
	cmd = argv[i++];
	if (sodium_init() < 0)
		return 1;
	log_set_name("wxctl");
	cfg_load(conf);
	if (db_connect(cfg_root()) != 0)
		return 1;
	if (strcmp(cmd, "token") == 0 || strcmp(cmd, "ticket") == 0) {
		rc = cmd[1] == 'o' ? wx_access_token(val, sizeof(val), &res)
		    : wx_jsapi_ticket(val, sizeof(val), &res);
		wx_mask(val, mask, sizeof(mask));
		snprintf(line, sizeof(line), "%s %s fetches %d", cmd, mask, res.attempts);
		out = report(rc, &res, line);
	} else if (strcmp(cmd, "jsconfig") == 0 && i < argc) {
		struct wx_jsconfig js;

		rc = wx_jsapi_config(argv[i], &js);
		if (rc == WX_OK)
			printf("ok {\"appId\":\"%s\",\"timestamp\":%s,\"nonceStr\":\"%s\",\"signature\":\"%s\"}\n",
			    js.appid, js.timestamp, js.noncestr, js.signature);
		out = rc == WX_OK ? 0 : report(rc, NULL, "");
	} else if (strcmp(cmd, "oauth") == 0 && i < argc) {
		rc = wx_oauth_openid(argv[i], val, sizeof(val));
		out = report(rc, NULL, val);
	} else if (strcmp(cmd, "template") == 0 && i + 2 < argc) {
		const char *keys[16], *values[16];
		char kv[16][256];
		struct wx_template m = { argv[i], argv[i + 1], NULL, argv[i + 2], 0, keys, values };

		for (int k = i + 3; k < argc && m.nkeys < 16; k++) {
			char *eq;

			snprintf(kv[m.nkeys], sizeof(kv[0]), "%s", argv[k]);
			eq = strchr(kv[m.nkeys], '=');
			if (eq == NULL)
				return usage();
			*eq = '\0';
			keys[m.nkeys] = kv[m.nkeys];
			values[m.nkeys] = eq + 1;
			m.nkeys++;
		}
		rc = wx_template_send(&m, &res);
		snprintf(line, sizeof(line), "msgid %s attempts %d", res.msgid, res.attempts);
		out = report(rc, &res, line);
	} else if (strcmp(cmd, "subscribe") == 0 && i + 1 < argc) {
		const char *keys[] = { "thing1" }, *values[] = { i + 2 < argc ? argv[i + 2] : "" };

		rc = wx_subscribe_send(argv[i], argv[i + 1], NULL, 1, keys, values, &res);
		snprintf(line, sizeof(line), "attempts %d", res.attempts);
		out = report(rc, &res, line);
	} else if (strcmp(cmd, "robot") == 0 && i + 1 < argc) {
		rc = wx_robot_send(argv[i], argv[i + 1], &res);
		snprintf(line, sizeof(line), "attempts %d", res.attempts);
		out = report(rc, &res, line);
	} else if (strcmp(cmd, "media") == 0 && i < argc) {
		struct arena a;
		struct wx_media m;

		arena_init(&a, 1 << 16);
		rc = wx_media_get(argv[i], &a, &m, &res);
		snprintf(line, sizeof(line), "%zu bytes %s", m.len, m.type);
		out = report(rc, &res, line);
		arena_free(&a);
	} else {
		out = usage();
	}
	sodium_memzero(val, sizeof(val));
	wx_cleanup();
	db_disconnect();
	return out;
}
