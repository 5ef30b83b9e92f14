// Linux headers that Swift's Glibc module leaves out: the event loop needs epoll, eventfd
// (worker-to-loop wake-ups), signalfd (SIGTERM/SIGINT as readable events) and mallopt. They are part of
// glibc itself, so nothing extra is linked.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <signal.h>
#include <sys/socket.h>
#include <pthread.h>
// mallopt: `clave serve` fixes glibc's mmap threshold so scrypt's work areas go back to the
// kernel when freed (Sources/clave/MemoryPolicy.swift).
#include <malloc.h>

// GNU extensions that glibc declares only under _GNU_SOURCE, which Swift's Glibc module is
// built without: accept4 (non-blocking accepted sockets in one call) and thread names.
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);
extern int pthread_setname_np(pthread_t thread, const char *name);
