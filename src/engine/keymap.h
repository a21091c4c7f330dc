/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * From VNC keysyms to Linux key codes.
 *
 * A VNC client sends keysyms (the character or function a key produced
 * on the client's keyboard: 'A', 'ä', F5, Left), while the guest wants
 * key codes (which key on a keyboard went down: KEY_A, KEY_LEFTSHIFT).
 * The guest then turns codes back into characters with its own layout.
 * We assume the guest's layout is US, and for characters that US lacks,
 * the AltGr level of the US-international layout (us(intl) in xkb):
 * AltGr+q = ä, AltGr+s = ß, AltGr+5 = €, Shift+AltGr+q = Ä, ...
 * (docs/display.md has the whole list).
 *
 * For a character, the map also says which modifiers it needs (Shift,
 * AltGr).  The keyboard state below makes the guest see exactly those
 * while the key goes down -- pressing or releasing Shift or AltGr around
 * it -- so that a client with another layout still types the right
 * character (a German client sends '/' with Shift held; the guest must
 * see KEY_SLASH without Shift).  Caps Lock, as the client toggles it,
 * inverts Shift for the letters a-z.  Other keys (function keys, arrows,
 * the keypad, modifiers) go through as they are.
 */
#ifndef KENNEL_ENGINE_KEYMAP_H
#define KENNEL_ENGINE_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio/virtio_input.h"

#define KEYMAP_SHIFT  1 /* the character needs Shift */
#define KEYMAP_ALTGR  2 /* the character needs AltGr (right Alt) */
#define KEYMAP_CHAR   4 /* a character: the two bits above are what it needs */
#define KEYMAP_LETTER 8 /* a-z: Caps Lock inverts Shift */

struct keymap_key {
	uint16_t code; /* a Linux KEY_* code */
	uint8_t flags;
};

/* The key for a keysym; false if the map does not know it. */
bool keymap_lookup(uint32_t keysym, struct keymap_key *out);

/* What the guest's keyboard has down now, as our events made it. */
struct keymap_state {
	uint8_t down[32]; /* a bit per key code below 256 */
	bool caps_lock;
};

/* The most events one keymap_translate() or keymap_release_all() writes. */
#define KEYMAP_MAX_EVENTS 24

/*
 * Turns one VNC key event into evdev events (EV_KEY, EV_SYN) for the
 * guest's keyboard; returns how many it wrote into ev (0 for an unknown
 * keysym or the release of a key that is not down).
 */
unsigned keymap_translate(struct keymap_state *s, bool down, uint32_t keysym,
                          struct virtio_input_event ev[KEYMAP_MAX_EVENTS]);

/* Releases every key that is down (the client went away); returns the event count. */
unsigned keymap_release_all(struct keymap_state *s,
                            struct virtio_input_event ev[KEYMAP_MAX_EVENTS]);

#endif
