/*
 * The JNI host: the same scenario loop, run on the calling Java thread
 * inside a JVM. Only the Java_* entry points are exported (the core is
 * built with -fvisibility=hidden; JNIEXPORT marks these visible).
 */
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include <gnu/libc-version.h>
#include <jni.h>

#include "exit_codes.h"
#include "io_rsslab_nativelib_NativeCore.h"
#include "records.h"
#include "scenario.h"
#include "seed_output.h"

/* Longest scenario name accepted (a churn text is the longest), with its terminating NUL. */
#define NAME_MAX_LEN 1024

/* Longest --malloc-info path accepted, with its NUL. */
#define PATH_MAX_LEN 4096

/* Copy a Java string into buf without JVM-side allocation; false if it does not fit. */
static bool copy_string(JNIEnv *env, jstring js, char *buf, jsize size)
{
	jsize chars = (*env)->GetStringLength(env, js);
	jsize bytes = (*env)->GetStringUTFLength(env, js);

	if (bytes >= size)
		return false;
	(*env)->GetStringUTFRegion(env, js, 0, chars, buf);
	buf[bytes] = '\0';
	return true;
}

JNIEXPORT jint JNICALL
Java_io_rsslab_nativelib_NativeCore_run(JNIEnv *env, jclass cls,
					 jstring jname, jboolean trim,
					 jboolean seed, jboolean explain,
					 jstring jmalloc_info, jint pause_after,
					 jint max_rounds)
{
	static char name[NAME_MAX_LEN];	/* static: a churn scenario keeps pointing at it */
	const char *why;
	static char malloc_info_path[PATH_MAX_LEN];
	const struct scenario *s;
	struct scenario scaled;
	struct records_options o = {
		.trim = trim, .explain = explain, .host = "jvm", .fd = STDOUT_FILENO,
		.pause_after_round = pause_after,
	};
	int ret;

	(void)cls;
	/* ForkedMain parsed the arguments (ChildArgs); these checks only guard the buffers. */
	if (!copy_string(env, jname, name, NAME_MAX_LEN))
		return RSSLAB_EXIT_USAGE;
	s = scenario_lookup(name, &why);
	if (!s || (s->churn && seed))
		return RSSLAB_EXIT_USAGE;
	if (max_rounds > 0)
		s = scenario_scaled(s, max_rounds, &scaled);
	if (jmalloc_info) {
		if (!copy_string(env, jmalloc_info, malloc_info_path, PATH_MAX_LEN))
			return RSSLAB_EXIT_USAGE;
		o.malloc_info_path = malloc_info_path;
	}
	if (!seed)
		return records_run(s, &o);
	ret = seed_run(s, trim);
	/* The JVM's exit does not flush C stdio; the article's exit() would. */
	fflush(stdout);
	return ret;
}

JNIEXPORT jstring JNICALL
Java_io_rsslab_nativelib_NativeCore_glibcVersion(JNIEnv *env, jclass cls)
{
	(void)cls;
	return (*env)->NewStringUTF(env, gnu_get_libc_version());
}
