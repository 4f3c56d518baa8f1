/* ca-asset: stations, piles, sub-assets and the asset ledger (F4). */
#include "core/app.h"

extern const struct app asset_app;

int
main(int argc, char **argv)
{
	return app_run(&asset_app, argc, argv);
}
