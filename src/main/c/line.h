/*
 * One output line built on the stack and written with write(2): formatting
 * and writing never call malloc, so reporting cannot disturb the heap that
 * is being measured (stdio would allocate its buffer on first use, and
 * snprintf may allocate for some conversions).
 */
#ifndef RSSLAB_LINE_H
#define RSSLAB_LINE_H

#include <stddef.h>

/* A round with every explain field is about 900 bytes. */
#define LINE_MAX_LEN 2048

struct line {
	char text[LINE_MAX_LEN];
	size_t len;
	int truncated;		/* something did not fit: line_write refuses the line */
};

void line_put_str(struct line *l, const char *s);
void line_put_num(struct line *l, long v);
/* A tab, then the number. */
/* "\tKEY=V": the records' fields; key = a + b, e.g. "alloc_" + "minflt". */
void line_put_kv2(struct line *l, const char *a, const char *b, long v);
void line_put_kv(struct line *l, const char *key, long v);
void line_put_kv_str(struct line *l, const char *key, const char *v);
void line_put_tab_num(struct line *l, long v);
/* Append a newline and write all of it, retrying short writes; 0, or -1 (also for a truncated line). */
int line_write(struct line *l, int fd);

#endif
