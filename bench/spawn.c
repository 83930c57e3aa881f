/* bench/spawn: runs a command and writes what it cost, for bench/pair.py.
 *
 *   spawn RESULT_FILE COMMAND [ARG...]
 *
 * Forks, execs COMMAND (PATH searched) and waits for it with wait4; then writes one line to
 * RESULT_FILE: wall nanoseconds (CLOCK_MONOTONIC from just before fork to just after wait4),
 * user and system CPU microseconds and peak RSS in KiB (ru_maxrss) of the command and the
 * children it waited for, and its wait status. Exits with the command's exit status (128 +
 * the signal if it was killed; 127 if it could not be started).
 *
 * Why not measure from Python directly: a child forked by Python carries Python's resident
 * pages until it execs, and Linux keeps that high-water mark in ru_maxrss (15 MiB for `true`),
 * and counts Python's work in the child before exec as the command's CPU time. Forked from
 * this small program, the floor is about 1 MiB and a few microseconds. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: spawn RESULT_FILE COMMAND [ARG...]\n");
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid = fork();
  if (pid < 0) {
    perror("spawn: fork");
    return 127;
  }
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    fprintf(stderr, "spawn: %s: %s\n", argv[2], strerror(errno));
    _exit(127);
  }
  int status = 0;
  struct rusage usage;
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      perror("spawn: wait4");
      return 127;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long long wall = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
  FILE* out = fopen(argv[1], "w");
  if (out == NULL) {
    perror("spawn: result file");
    return 127;
  }
  fprintf(out, "%lld %lld %lld %ld %d\n", wall,
          (long long)usage.ru_utime.tv_sec * 1000000LL + usage.ru_utime.tv_usec,
          (long long)usage.ru_stime.tv_sec * 1000000LL + usage.ru_stime.tv_usec, usage.ru_maxrss,
          status);
  fclose(out);
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return WEXITSTATUS(status);
}
