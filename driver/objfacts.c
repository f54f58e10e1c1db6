// SPDX-License-Identifier: GPL-2.0-only
/*
 * objfacts.c - the GCC plugin's facts inside the objects of a build.
 *
 * With -fplugin-arg-mmucheck-facts each unit's object carries its facts
 * in a non-allocated section, .discard.mmucheck: one NUL-terminated JSON
 * document per unit, so a partial link (ld -r) of several objects holds
 * all of theirs.  They come along when ccache replays an object or
 * distcc compiles it on another machine.  Read with libelf.
 */
#include <fcntl.h>
#include <ftw.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "objfacts.h"
#include "util.h"

/* nftw() passes no context: the walk in progress. */
static struct {
	objfacts_fn *fn;
	void *ctx;
	long docs;
} walk;

static Elf_Scn *facts_section(Elf *elf)
{
	Elf_Scn *scn = NULL;
	size_t strndx;
	GElf_Shdr sh;
	const char *name;

	if (elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &strndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		name = elf_strptr(elf, strndx, sh.sh_name);
		if (name && !strcmp(name, OBJFACTS_SECTION))
			return scn;
	}
	return NULL;
}

/* Each NUL-terminated document of the data; padding NULs are skipped. */
static int split_documents(const char *path, time_t mtime,
			   const char *p, size_t n)
{
	const char *end = p + n, *nul;

	while (p < end) {
		nul = memchr(p, '\0', end - p);
		if (!nul)
			nul = end;	/* unterminated: the reader names it */
		if (nul > p) {
			walk.docs++;
			if (walk.fn(walk.ctx, path, mtime, p, nul - p))
				return 1;
		}
		p = nul + 1;
	}
	return 0;
}

static int read_object(const char *path, const struct stat *st)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY), stop = 0;
	Elf_Data *data = NULL;
	Elf_Scn *scn;
	Elf *elf;

	if (fd < 0) {
		warn("%s: cannot read: %m", path);
		return 0;
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	scn = elf ? facts_section(elf) : NULL;
	while (scn && (data = elf_getdata(scn, data)) && !stop)
		stop = split_documents(path, st->st_mtime, data->d_buf,
				       data->d_size);
	elf_end(elf);
	close(fd);
	return stop;
}

static int is_object_name(const char *path)
{
	size_t n = strlen(path);

	return n > 2 && !strcmp(path + n - 2, ".o");
}

static int visit(const char *path, const struct stat *st, int type,
		 struct FTW *ftw)
{
	(void)ftw;
	if (type != FTW_F || !S_ISREG(st->st_mode) || !is_object_name(path))
		return 0;
	return read_object(path, st);
}

long objfacts_walk(const char *dir, objfacts_fn *fn, void *ctx)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		die("libelf: %s", elf_errmsg(-1));
	walk.fn = fn;
	walk.ctx = ctx;
	walk.docs = 0;
	if (nftw(dir, visit, 32, FTW_PHYS) < 0)
		return -1;
	return walk.docs;
}
