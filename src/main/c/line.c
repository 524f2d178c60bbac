#include <errno.h>
#include <unistd.h>

#include "line.h"

void line_put_str(struct line *l, const char *s)
{
	while (*s && l->len < LINE_MAX_LEN - 1)
		l->text[l->len++] = *s++;
	if (*s)
		l->truncated = 1;
}

void line_put_num(struct line *l, long v)
{
	char digits[24];
	int n = 0;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

	if (v < 0)
		line_put_str(l, "-");
	do {
		digits[n++] = '0' + u % 10;
		u /= 10;
	} while (u);
	while (n > 0 && l->len < LINE_MAX_LEN - 1)
		l->text[l->len++] = digits[--n];
	if (n > 0)
		l->truncated = 1;
}

void line_put_kv2(struct line *l, const char *a, const char *b, long v)
{
	line_put_str(l, "\t");
	line_put_str(l, a);
	line_put_str(l, b);
	line_put_str(l, "=");
	line_put_num(l, v);
}

void line_put_kv(struct line *l, const char *key, long v)
{
	line_put_kv2(l, key, "", v);
}

void line_put_kv_str(struct line *l, const char *key, const char *v)
{
	line_put_str(l, "\t");
	line_put_str(l, key);
	line_put_str(l, "=");
	line_put_str(l, v);
}

void line_put_tab_num(struct line *l, long v)
{
	line_put_str(l, "\t");
	line_put_num(l, v);
}

int line_write(struct line *l, int fd)
{
	size_t off = 0;

	if (l->truncated)
		return -1;
	l->text[l->len++] = '\n';
	while (off < l->len) {
		ssize_t n = write(fd, l->text + off, l->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += n;
	}
	return 0;
}
