// lessonbook: the command line entry point (serve, migrate, export, import, check-config).
#include "bot/cli/cli.h"

int main(int argc, char** argv) { return lessonbook::RunCli(argc, argv); }
