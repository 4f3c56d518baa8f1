/* ca-qrcode: code rules, batches and label sheets (F3). */
#include "core/app.h"

extern const struct app qrcode_app;

int
main(int argc, char **argv)
{
	return app_run(&qrcode_app, argc, argv);
}
