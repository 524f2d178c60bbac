/*
 * The JNI host: the same scenario loop, run on the calling Java thread
 * inside a JVM. Only the Java_* entry points are exported (the core is
 * built with -fvisibility=hidden; JNIEXPORT marks these visible).
 */
#include <stdio.h>
#include <unistd.h>

#include <gnu/libc-version.h>
#include <jni.h>

#include "io_rsslab_nativelib_NativeCore.h"
#include "records.h"
#include "scenario.h"
#include "seed_output.h"

/* Longest scenario name accepted, with its terminating NUL. */
#define NAME_MAX_LEN 64

/* Returned when the name does not fit or no scenario has it. */
#define RUN_UNKNOWN_SCENARIO 2

JNIEXPORT jint JNICALL
Java_io_rsslab_nativelib_NativeCore_run(JNIEnv *env, jclass cls,
					 jstring jname, jboolean trim,
					 jboolean seed)
{
	char name[NAME_MAX_LEN];
	const struct scenario *s;
	jsize chars = (*env)->GetStringLength(env, jname);
	jsize bytes = (*env)->GetStringUTFLength(env, jname);
	int ret;

	(void)cls;
	if (bytes >= NAME_MAX_LEN)
		return RUN_UNKNOWN_SCENARIO;
	/* Copies into our buffer: no JVM-side allocation to free later. */
	(*env)->GetStringUTFRegion(env, jname, 0, chars, name);
	name[bytes] = '\0';
	s = scenario_find(name);
	if (!s)
		return RUN_UNKNOWN_SCENARIO;
	if (!seed)
		return records_run(s, trim, "jvm", STDOUT_FILENO);
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
