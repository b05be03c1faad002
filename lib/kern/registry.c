/*
 * lib/kern/registry.c: the bootstrap registry (kern.h mp_kern_registry_*),
 * launchd's bootstrap_register / bootstrap_look_up over one kernel: the
 * embedded kernel's (lib/port's kern backend) and machportd's use this one
 * implementation.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/kern/kern.h"

/* A bootstrap service: a name and the registry space's send right. */
typedef struct service {
	char name[MP_KERN_SERVICE_MAX + 1];
	mp_port_name_t right;
} service_t;

struct mp_kern_registry {
	pthread_mutex_t mu;
	mp_kspace_t *space;
	service_t *services;
	uint32_t nservices;
};

mp_kern_registry_t *mp_kern_registry_create(mp_kern_t *k)
{
	mp_kern_registry_t *reg = calloc(1, sizeof *reg);
	if (reg == NULL)
		return NULL;
	reg->services = calloc(MP_KERN_REGISTRY_MAX, sizeof *reg->services);
	if (reg->services == NULL || mp_kern_space_create(k, NULL, &reg->space) != MP_KERN_SUCCESS) {
		free(reg->services);
		free(reg);
		return NULL;
	}
	pthread_mutex_init(&reg->mu, NULL);
	return reg;
}

void mp_kern_registry_free(mp_kern_registry_t *reg)
{
	if (reg == NULL)
		return;
	pthread_mutex_destroy(&reg->mu);
	free(reg->services);
	free(reg);
}

void mp_kern_registry_close(mp_kern_registry_t *reg)
{
	if (reg == NULL)
		return;
	mp_kern_space_destroy(reg->space);
	mp_kern_registry_free(reg);
}

static service_t *service_find(mp_kern_registry_t *reg, const char *name, uint32_t len)
{
	for (uint32_t i = 0; i < reg->nservices; i++)
		if (strlen(reg->services[i].name) == len && memcmp(reg->services[i].name, name, len) == 0)
			return &reg->services[i];
	return NULL;
}

/* Drops a service whose port died (its right is a dead name now). */
static bool service_dead(mp_kern_registry_t *reg, service_t *sv)
{
	uint32_t type = 0;
	if (mp_kern_port_type(reg->space, sv->right, &type) == MP_KERN_SUCCESS && (type & MP_PORT_TYPE_SEND))
		return false;
	if (mp_kern_port_deallocate(reg->space, sv->right) != MP_KERN_SUCCESS) {
		/* already gone */
	}
	*sv = reg->services[--reg->nservices];
	return true;
}

/* Drops every service whose port has died (the registry is full). */
static void sweep_services(mp_kern_registry_t *reg)
{
	for (uint32_t i = 0; i < reg->nservices;)
		if (!service_dead(reg, &reg->services[i]))
			i++;
}

mp_kr_t mp_kern_registry_register(mp_kern_registry_t *reg, mp_kspace_t *caller, const char *name, uint32_t len,
			      mp_port_name_t port, uint32_t disp)
{
	mp_port_name_t got = MP_PORT_NULL;
	uint32_t type = 0;
	mp_kr_t kr;

	if (len == 0 || len > MP_KERN_SERVICE_MAX)
		return MP_KERN_INVALID_ARGUMENT;
	pthread_mutex_lock(&reg->mu);
	service_t *sv = service_find(reg, name, len);
	if (sv != NULL && !service_dead(reg, sv)) {
		kr = MP_BOOTSTRAP_NAME_IN_USE;
	} else if (disp != MP_MSG_TYPE_COPY_SEND && disp != MP_MSG_TYPE_MAKE_SEND) {
		kr = MP_KERN_INVALID_VALUE;
	} else if (reg->nservices == MP_KERN_REGISTRY_MAX && (sweep_services(reg), reg->nservices == MP_KERN_REGISTRY_MAX)) {
		kr = MP_BOOTSTRAP_NO_MEMORY;
	} else {
		kr = mp_kern_port_extract_right(caller, port, disp, reg->space, &got, &type);
		if (kr == MP_KERN_SUCCESS) {
			service_t *n = &reg->services[reg->nservices++];
			memcpy(n->name, name, len);
			n->name[len] = '\0';
			n->right = got;
		}
	}
	pthread_mutex_unlock(&reg->mu);
	return kr;
}

mp_kr_t mp_kern_registry_look_up(mp_kern_registry_t *reg, mp_kspace_t *caller, const char *name, uint32_t len,
			     mp_port_name_t *port)
{
	uint32_t type = 0;
	mp_kr_t kr;

	*port = MP_PORT_NULL;
	if (len == 0 || len > MP_KERN_SERVICE_MAX)
		return MP_KERN_INVALID_ARGUMENT;
	pthread_mutex_lock(&reg->mu);
	service_t *sv = service_find(reg, name, len);
	if (sv == NULL || service_dead(reg, sv))
		kr = MP_BOOTSTRAP_UNKNOWN_SERVICE;
	else
		kr = mp_kern_port_extract_right(reg->space, sv->right, MP_MSG_TYPE_COPY_SEND, caller, port, &type);
	pthread_mutex_unlock(&reg->mu);
	return kr;
}

void mp_kern_registry_fork_prepare(mp_kern_registry_t *reg)
{
	pthread_mutex_lock(&reg->mu);
}

void mp_kern_registry_fork_done(mp_kern_registry_t *reg)
{
	pthread_mutex_unlock(&reg->mu);
}
