/* ca-base: base information, sign-in and update records (F1, F4.21). */
#include "core/app.h"

extern const struct app base_app;

int
main(int argc, char **argv)
{
	return app_run(&base_app, argc, argv);
}
