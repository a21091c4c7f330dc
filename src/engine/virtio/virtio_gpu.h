/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-gpu (device ID 16), 2D only: the guest's graphics card.
 *
 * The guest's driver creates resources (images kept on the host), gives
 * each one backing pages in guest RAM, copies rectangles from the pages
 * into the resource (TRANSFER_TO_HOST_2D), points the scanout at a
 * resource (SET_SCANOUT) and says which part changed (RESOURCE_FLUSH).
 * We show the scanout on a struct display, which the VNC server reads.
 * A second queue carries the mouse cursor's image and position.
 *
 * Every command is checked: a bad id, an impossible rectangle, backing
 * outside guest RAM, too many backing entries or too much resource memory
 * get an error response (ERR_INVALID_RESOURCE_ID, ERR_INVALID_PARAMETER,
 * ERR_OUT_OF_MEMORY, ...) and one log line, and the device keeps working.
 */
#ifndef KENNEL_ENGINE_VIRTIO_VIRTIO_GPU_H
#define KENNEL_ENGINE_VIRTIO_VIRTIO_GPU_H

#include <stdbool.h>
#include <stdint.h>

struct display;
struct machine;
struct virtio_gpu;
struct virtio_mmio;

#define VIRTIO_ID_GPU 16

/* Limits on what a guest may make the host allocate. */
#define VIRTIO_GPU_MAX_RESOURCE_BYTES (256ull << 20) /* all resources together */
#define VIRTIO_GPU_MAX_RESOURCES      1024
#define VIRTIO_GPU_MAX_DIMENSION      16384
#define VIRTIO_GPU_MAX_BACKING        16384 /* entries in one ATTACH_BACKING */

/* Commands and responses (virtio 1.2, 5.7.6.7). */
enum {
	VIRTIO_GPU_CMD_GET_DISPLAY_INFO = 0x0100,
	VIRTIO_GPU_CMD_RESOURCE_CREATE_2D,
	VIRTIO_GPU_CMD_RESOURCE_UNREF,
	VIRTIO_GPU_CMD_SET_SCANOUT,
	VIRTIO_GPU_CMD_RESOURCE_FLUSH,
	VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D,
	VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING,
	VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING,
	VIRTIO_GPU_CMD_GET_CAPSET_INFO,
	VIRTIO_GPU_CMD_GET_CAPSET,
	VIRTIO_GPU_CMD_GET_EDID,

	VIRTIO_GPU_CMD_UPDATE_CURSOR = 0x0300,
	VIRTIO_GPU_CMD_MOVE_CURSOR,

	VIRTIO_GPU_RESP_OK_NODATA = 0x1100,
	VIRTIO_GPU_RESP_OK_DISPLAY_INFO,
	VIRTIO_GPU_RESP_OK_CAPSET_INFO,
	VIRTIO_GPU_RESP_OK_CAPSET,
	VIRTIO_GPU_RESP_OK_EDID,

	VIRTIO_GPU_RESP_ERR_UNSPEC = 0x1200,
	VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY,
	VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID,
	VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID,
	VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID,
	VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
};

#define VIRTIO_GPU_F_EDID        1
#define VIRTIO_GPU_FLAG_FENCE    1
#define VIRTIO_GPU_EVENT_DISPLAY 1
#define VIRTIO_GPU_MAX_SCANOUTS  16

/* Formats (5.7.6.8): names give the byte order in memory. */
enum {
	VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM = 1,
	VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM = 2,
	VIRTIO_GPU_FORMAT_A8R8G8B8_UNORM = 3,
	VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM = 4,
	VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM = 67,
	VIRTIO_GPU_FORMAT_X8B8G8R8_UNORM = 68,
	VIRTIO_GPU_FORMAT_A8B8G8R8_UNORM = 121,
	VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM = 134,
};

/* Config space (5.7.4) offsets. */
#define VIRTIO_GPU_CONFIG_EVENTS_READ  0
#define VIRTIO_GPU_CONFIG_EVENTS_CLEAR 4
#define VIRTIO_GPU_CONFIG_NUM_SCANOUTS 8
#define VIRTIO_GPU_CONFIG_NUM_CAPSETS  12

/*
 * Creates a virtio-gpu in virtio-mmio slot `slot` with one scanout shown
 * on `display` (which must outlive the machine).
 */
int virtio_gpu_create(struct machine *m, unsigned slot, bool legacy, struct display *display,
                      struct virtio_gpu **out);

/* Writes a 128-byte EDID block describing a width x height monitor at 60 Hz. */
void virtio_gpu_make_edid(uint8_t edid[128], unsigned width, unsigned height);

#endif
