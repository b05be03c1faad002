/* lib/machportd/client_vm.c: the client-memory boundary (client_vm.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/machportd/client_vm.h"
#include "machports/le.h"

#define PAGE MPD_PAGE

static _Thread_local mpd_call_vm_t *cur_call;

void mpd_call_vm_enter(mpd_call_vm_t *call, void *space)
{
	call->space = space;
	cur_call = call;
}

void mpd_call_vm_leave(void)
{
	cur_call = NULL;
}

static mpd_call_vm_t *call_for(void *ctx)
{
	return (cur_call != NULL && cur_call->space == ctx) ? cur_call : NULL;
}

static int vm_copyin(void *ctx, uint64_t addr, void *dst, uint64_t len)
{
	mpd_call_vm_t *c = call_for(ctx);
	if (c == NULL)
		return -1;
	if (len == 0)
		return 0;
	for (uint32_t i = 0; i < c->nwin; i++) {
		const mpd_window_t *w = &c->win[i];
		if (addr >= w->addr && len <= w->size && addr - w->addr <= w->size - len) {
			memcpy(dst, c->in + w->off + (addr - w->addr), (size_t)len);
			return 0;
		}
	}
	return -1; /* not memory the client sent: unreadable, as an unmapped address */
}

static int grow(void **p, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	uint32_t nc = *cap ? *cap * 2 : 16;
	while (nc < need)
		nc *= 2;
	void *np = realloc(*p, (size_t)nc * elem);
	if (np == NULL)
		return -1;
	*p = np;
	*cap = nc;
	return 0;
}

/* A region given to the caller: its bytes (or zeros) on pages of their own
 * in `out`; the address the kernel writes in the message is a token. */
static int vm_map_copy(void *ctx, const void *data, uint64_t len, uint64_t page_off, uint64_t *addr)
{
	mpd_call_vm_t *c = call_for(ctx);
	uint64_t off, end;
	if (c == NULL || page_off >= PAGE)
		return -1;
	off = (c->out_len + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	end = off + page_off + len;
	if (len > MPD_MAX_OUT_BYTES || end > MPD_MAX_OUT_BYTES ||
	    grow((void **)&c->map, &c->map_cap, c->nmap + 1, sizeof(mpd_map_t)) != 0)
		return -1;
	if (end > c->out_cap) {
		uint64_t nc = c->out_cap ? c->out_cap : 16384;
		while (nc < end)
			nc *= 2;
		uint8_t *nb = realloc(c->out, (size_t)nc);
		if (nb == NULL)
			return -1;
		c->out = nb;
		c->out_cap = nc;
	}
	memset(c->out + c->out_len, 0, (size_t)(off + page_off - c->out_len));
	if (data != NULL)
		memcpy(c->out + off + page_off, data, (size_t)len);
	else
		memset(c->out + off + page_off, 0, (size_t)len);
	c->out_len = end;
	*addr = MPD_TOKEN_BASE + off + page_off;
	c->map[c->nmap++] = (mpd_map_t){ *addr, off, len, page_off, NULL };
	return 0;
}

static void vm_deallocate(void *ctx, uint64_t addr, uint64_t len)
{
	mpd_call_vm_t *c = call_for(ctx);
	if (c == NULL || grow((void **)&c->dealloc, &c->dealloc_cap, c->ndealloc + 1, sizeof(mpd_dealloc_t)) != 0)
		return;
	c->dealloc[c->ndealloc++] = (mpd_dealloc_t){ addr, len };
}

const mp_kern_vm_ops_t mpd_client_vm_ops = { vm_copyin, vm_map_copy, vm_deallocate };

mpd_err_t mpd_call_vm_windows(mpd_call_vm_t *call, const uint8_t *msg, uint32_t len, const mpd_msg_args_t *m,
			      const uint8_t *in, mpd_diag_t *d)
{
	mpd_desc_iter_t it;
	mpd_desc_ref_t dr;
	uint64_t prev_desc = 0;

	call->in = in;
	call->nwin = 0;
	mpd_desc_iter_init(&it, msg, len);
	for (uint32_t i = 0; i < m->nool && i < MPD_MAX_OOL; i++) {
		uint32_t idx = mp_load_le32(m->ool_table + 8 * i), size = mp_load_le32(m->ool_table + 8 * i + 4);
		int found = 0;
		while (mpd_desc_next(&it, &dr)) {
			if (dr.index == idx) {
				found = dr.is_ool && dr.size == size;
				break;
			}
		}
		if (!found) {
			d->err = MPD_E_OOL_TABLE;
			d->offset = MPD_HEADER_SIZE + MPD_MSG_ARGS + 8 * (size_t)i;
			snprintf(d->reason, sizeof d->reason,
				 "OOL region %u: descriptor %u is not an OOL region of %u bytes", i, idx, size);
			return MPD_E_OOL_TABLE;
		}
		call->win[call->nwin++] = (mpd_window_t){ dr.addr, size, prev_desc };
		prev_desc += size;
	}
	return MPD_OK;
}

void mpd_call_vm_free(mpd_call_vm_t *call)
{
	free(call->map);
	free(call->dealloc);
	call->map = NULL;
	call->dealloc = NULL;
	call->nmap = call->map_cap = call->ndealloc = call->dealloc_cap = 0;
}

const uint8_t *mpd_map_request_fd(int fd, uint64_t need, mpd_diag_t *d)
{
	struct stat st;
	int seals = fcntl(fd, F_GET_SEALS);
	void *p;

	if (seals < 0 || !(seals & F_SEAL_SHRINK)) {
		d->err = MPD_E_FDS;
		snprintf(d->reason, sizeof d->reason, "the OOL descriptor is not a memfd sealed with F_SEAL_SHRINK");
		return NULL;
	}
	if (fstat(fd, &st) != 0 || (uint64_t)st.st_size < need) {
		d->err = MPD_E_FDS;
		snprintf(d->reason, sizeof d->reason, "the memfd holds %lld bytes, the request %llu",
			 (long long)st.st_size, (unsigned long long)need);
		return NULL;
	}
	p = mmap(NULL, (size_t)need, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		d->err = MPD_E_FDS;
		snprintf(d->reason, sizeof d->reason, "mmap of %llu bytes: %s", (unsigned long long)need,
			 strerror(errno));
		return NULL;
	}
	return p;
}

int mpd_make_memfd(const void *data, uint64_t len)
{
	int fd = memfd_create("machportd", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	const uint8_t *p = data;
	uint64_t done = 0;
	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t n = pwrite(fd, p + done, (size_t)(len - done), (off_t)done);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (uint64_t)n;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}
