/* ca-wechat: the phone pages (/wx/, F7.1): sign-in, scan, the pile card and its actions. */
#include "core/app.h"

extern const struct app wechat_app;

int
main(int argc, char **argv)
{
	return app_run(&wechat_app, argc, argv);
}
