/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `kennel-engine run --profile FILE`: a guest profile turned into the
 * options it stands for, placed before the command line's own options so
 * that those win (later options override earlier ones).
 */
#ifndef KENNEL_ENGINE_PROFILE_ARGS_H
#define KENNEL_ENGINE_PROFILE_ARGS_H

#include <stddef.h>

/*
 * If argv (argv[0] is "run") holds --profile FILE or --profile=FILE,
 * *out_argv becomes a new argv: "run", the profile's options, then argv's
 * other arguments; the profile's warnings (unknown keys) go to stderr.
 * Without --profile, *out_argv is NULL.  Returns 0; -EINVAL (a usage error)
 * or -ENOENT (the profile could not be loaded) with a message in why.
 */
int profile_args_expand(int argc, char **argv, int *out_argc, char ***out_argv, char *why,
                        size_t why_len);

void profile_args_free(char **argv);

#endif
