#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <malloc.h>
static void show_rss(void)
{
static FILE *fp = NULL;
static char buffer[4096];
char *cp;
unsigned long rss;
if (!fp) {
fp = fopen("/proc/self/status", "r");
if (!fp)
return;
}
rewind(fp);
buffer[fread(buffer, 1, sizeof(buffer) - 1, fp)] = 0;
cp = strstr(buffer, "VmRSS:");
if (cp && sscanf(cp + 6, "%lu", &rss) == 1)
printf("\tRSS: %lu KB\n", rss);
}
int main(int argc, char *argv[])
{
static char *buf[256];
int i, j, k;
srand(0);
for (k = 0; k < 20; k++) {
unsigned long sum = 0;
for (i = 0; i < 256; i++) {
unsigned int size = (random() % 8192) * 4096;
char *cp = malloc(size);
if (!cp)
return 1;
for (j = 0; j < size; j += 4096)
cp[j] = 1;
sum += size;
buf[i] = cp;
}
printf("%d\t+%lu KB\n", k, sum / 1024);
show_rss();
for (i = 0; i < 256; i++)
free(buf[i]);
printf("\t-%lu KB\n", sum / 1024);
if (argc > 1)
malloc_trim(0);
show_rss();
}
return 0;
}
