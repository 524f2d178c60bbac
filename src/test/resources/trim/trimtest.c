/*
 * Programs for librsslab-trim.so's tests (TrimmerTest), one per mode:
 *   trimtest churn ROUNDS PAUSE_MS  each round 40 MiB in 100 KiB blocks (below the
 *                                   mmap threshold), all freed but the last (which pins
 *                                   the heap's top: only malloc_trim returns the rest),
 *                                   then a pause
 *   trimtest forks N                N children, each churning one round and living 1 s
 *   trimtest daemon FILE            double fork, setsid, every descriptor closed,
 *                                   chdir /; the daemon writes its own lines into FILE
 *                                   (its first descriptor after /dev/null) while it
 *                                   churns, then "done"
 *   trimtest threads SECONDS        four threads allocating and freeing without a pause
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BLOCKS 400
#define BLOCK (100 * 1024)

static void churn_round(void)
{
	static char *b[BLOCKS];

	for (int i = 0; i < BLOCKS; i++) {
		b[i] = malloc(BLOCK);
		if (!b[i])
			exit(4);
		memset(b[i], 1, BLOCK);
	}
	for (int i = 0; i < BLOCKS - 1; i++)
		free(b[i]);
}

static volatile int stop;

static void *worker(void *seed)
{
	unsigned s = (unsigned)(long)seed;
	void *held[64] = { 0 };
	long ops = 0;

	while (!stop) {
		int i = rand_r(&s) % 64;

		free(held[i]);
		held[i] = malloc(16 + rand_r(&s) % (256 * 1024));
		if (!held[i])
			exit(4);
		memset(held[i], 1, 16);
		ops++;
	}
	for (int i = 0; i < 64; i++)
		free(held[i]);
	return (void *)ops;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "churn") == 0) {
		struct timespec pause = { atoi(argv[3]) / 1000, (atoi(argv[3]) % 1000) * 1000000L };

		for (int r = 0; r < atoi(argv[2]); r++) {
			churn_round();
			nanosleep(&pause, NULL);
		}
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "forks") == 0) {
		for (int i = 0; i < atoi(argv[2]); i++) {
			pid_t pid = fork();

			if (pid < 0)
				return 3;
			if (pid == 0) {
				churn_round();
				sleep(1);
				_exit(0);
			}
		}
		while (wait(NULL) > 0)
			;
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "daemon") == 0) {
		char line[64];
		int fd;

		if (fork() != 0)
			return 0;
		setsid();
		if (fork() != 0)
			_exit(0);
		for (int i = 0; i < 1024; i++)
			close(i);
		if (chdir("/") != 0 || open("/dev/null", O_RDWR) != 0 || dup(0) != 1 || dup(0) != 2)
			_exit(3);
		fd = open(argv[2], O_WRONLY | O_APPEND);
		if (fd < 0)
			_exit(3);
		for (int r = 0; r < 4; r++) {
			churn_round();
			snprintf(line, sizeof(line), "daemon %d round %d\n", (int)getpid(), r);
			if (write(fd, line, strlen(line)) < 0)
				_exit(3);
			usleep(400 * 1000);
		}
		if (write(fd, "done\n", 5) < 0)
			_exit(3);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "threads") == 0) {
		pthread_t t[4];
		long total = 0;
		void *ops;

		for (long i = 0; i < 4; i++)
			if (pthread_create(&t[i], NULL, worker, (void *)(i + 1)) != 0)
				return 3;
		sleep((unsigned)atoi(argv[2]));
		stop = 1;
		for (int i = 0; i < 4; i++) {
			pthread_join(t[i], &ops);
			total += (long)ops;
		}
		printf("done %ld\n", total);
		return 0;
	}
	fprintf(stderr, "usage: trimtest churn ROUNDS PAUSE_MS | forks N | daemon FILE | threads SECONDS\n");
	return 2;
}
