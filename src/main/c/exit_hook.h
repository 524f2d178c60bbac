/*
 * Where a program's exit began, for a preloaded library: exit() (the
 * program's own call, interposed) or main's return (main wrapped through
 * __libc_start_main, which the executable's _start calls through the PLT).
 * The includer defines static void exit_began(void), called once per
 * process image before any atexit handler, destructor or exit-time free.
 * librsslab-record.so (TRACE_EXIT_BEGIN) and librsslab-exitmark.so (try's
 * "before exit") mean the same moment by it.
 */
#ifndef RSSLAB_EXIT_HOOK_H
#define RSSLAB_EXIT_HOOK_H

#include <dlfcn.h>
#include <stdatomic.h>
#include <stdbool.h>

static void exit_began(void);

static atomic_bool exit_hook_fired;

static void exit_hook_fire(void)
{
	bool no = false;

	if (atomic_compare_exchange_strong(&exit_hook_fired, &no, true))
		exit_began();
}

__attribute__((visibility("default"))) void exit(int status)
{
	static void (*real_exit)(int);

	exit_hook_fire();
	if (!real_exit)
		real_exit = (void (*)(int))dlsym(RTLD_NEXT, "exit");
	real_exit(status);
	__builtin_unreachable();
}

typedef int (*exit_hook_main)(int, char **, char **);
static exit_hook_main exit_hook_real_main;

static int exit_hook_wrapped_main(int argc, char **argv, char **envp)
{
	int status = exit_hook_real_main(argc, argv, envp);

	exit_hook_fire();
	return status;
}

__attribute__((visibility("default"))) int __libc_start_main(exit_hook_main main, int argc, char **argv,
							     void (*init)(void), void (*fini)(void),
							     void (*rtld_fini)(void), void *stack_end)
{
	typedef int (*start_fn)(exit_hook_main, int, char **, void (*)(void), void (*)(void), void (*)(void), void *);
	start_fn real = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");

	exit_hook_real_main = main;
	return real(exit_hook_wrapped_main, argc, argv, init, fini, rtld_fini, stack_end);
}

#endif
