/* SPDX-License-Identifier: GPL-2.0 */
/* The screen's scheduling priority: raised a little while it runs, given back at exit. */
#ifndef TCPSCOPE_PRIORITY_H
#define TCPSCOPE_PRIORITY_H

/* nice: the value to take (-20..19); 0 or above: leave the priority alone. */
void priority_raise(int nice);
/* SCHED_FIFO 1 for the calling thread where allowed: 1 if taken. */
int priority_realtime(void);
/* Both given back. */
/* SCHED_FIFO 1 for the calling thread where allowed: 1 if taken. */
int priority_realtime(void);
/* Both given back. */
void priority_restore(void);

#endif
