/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `kennel-engine run`: boot a guest headless, console on stdio. */
#ifndef KENNEL_ENGINE_RUN_H
#define KENNEL_ENGINE_RUN_H

/* argv[0] is "run"; returns the process exit status. */
int run_command(int argc, char **argv);

#endif
