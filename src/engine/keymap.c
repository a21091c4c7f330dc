// SPDX-License-Identifier: GPL-2.0-or-later
/* VNC keysyms to Linux key codes, US layout with the us(intl) AltGr level (see keymap.h). */
#include "keymap.h"

#include <linux/input-event-codes.h>
#include <rfb/keysym.h>
#include <string.h>

#define S KEYMAP_SHIFT
#define A KEYMAP_ALTGR

/* Printable ASCII, 0x20 to 0x7e, on a US keyboard. */
static const struct {
	uint16_t code;
	uint8_t mods;
} ascii[95] = {
        [' ' - 32] = {KEY_SPACE, 0},      ['!' - 32] = {KEY_1, S},
        ['"' - 32] = {KEY_APOSTROPHE, S}, ['#' - 32] = {KEY_3, S},
        ['$' - 32] = {KEY_4, S},          ['%' - 32] = {KEY_5, S},
        ['&' - 32] = {KEY_7, S},          ['\'' - 32] = {KEY_APOSTROPHE, 0},
        ['(' - 32] = {KEY_9, S},          [')' - 32] = {KEY_0, S},
        ['*' - 32] = {KEY_8, S},          ['+' - 32] = {KEY_EQUAL, S},
        [',' - 32] = {KEY_COMMA, 0},      ['-' - 32] = {KEY_MINUS, 0},
        ['.' - 32] = {KEY_DOT, 0},        ['/' - 32] = {KEY_SLASH, 0},
        ['0' - 32] = {KEY_0, 0},          ['1' - 32] = {KEY_1, 0},
        ['2' - 32] = {KEY_2, 0},          ['3' - 32] = {KEY_3, 0},
        ['4' - 32] = {KEY_4, 0},          ['5' - 32] = {KEY_5, 0},
        ['6' - 32] = {KEY_6, 0},          ['7' - 32] = {KEY_7, 0},
        ['8' - 32] = {KEY_8, 0},          ['9' - 32] = {KEY_9, 0},
        [':' - 32] = {KEY_SEMICOLON, S},  [';' - 32] = {KEY_SEMICOLON, 0},
        ['<' - 32] = {KEY_COMMA, S},      ['=' - 32] = {KEY_EQUAL, 0},
        ['>' - 32] = {KEY_DOT, S},        ['?' - 32] = {KEY_SLASH, S},
        ['@' - 32] = {KEY_2, S},          ['[' - 32] = {KEY_LEFTBRACE, 0},
        ['\\' - 32] = {KEY_BACKSLASH, 0}, [']' - 32] = {KEY_RIGHTBRACE, 0},
        ['^' - 32] = {KEY_6, S},          ['_' - 32] = {KEY_MINUS, S},
        ['`' - 32] = {KEY_GRAVE, 0},      ['{' - 32] = {KEY_LEFTBRACE, S},
        ['|' - 32] = {KEY_BACKSLASH, S},  ['}' - 32] = {KEY_RIGHTBRACE, S},
        ['~' - 32] = {KEY_GRAVE, S},
};

/* The letters in keyboard order, and the key code of each row's first letter. */
static const char *const letter_rows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
static const uint16_t letter_row_codes[] = {KEY_Q, KEY_A, KEY_Z};

/* Latin-1 (and the euro) through AltGr, as the us(intl) layout has them. */
static const struct {
	uint32_t keysym;
	uint16_t code;
	uint8_t mods;
} altgr[] = {
        {0xa0, KEY_SPACE, A},
        {0xa1, KEY_1, A},
        {0xb9, KEY_1, A | S},
        {0xb2, KEY_2, A},
        {0xb3, KEY_3, A},
        {0xa4, KEY_4, A},
        {0xa3, KEY_4, A | S},
        {0x20ac, KEY_5, A},
        {0xbc, KEY_6, A},
        {0xbd, KEY_7, A},
        {0xbe, KEY_8, A},
        {0xa5, KEY_MINUS, A},
        {0xd7, KEY_EQUAL, A},
        {0xf7, KEY_EQUAL, A | S},
        {0xe4, KEY_Q, A},
        {0xc4, KEY_Q, A | S},
        {0xe5, KEY_W, A},
        {0xc5, KEY_W, A | S},
        {0xe9, KEY_E, A},
        {0xc9, KEY_E, A | S},
        {0xae, KEY_R, A},
        {0xfe, KEY_T, A},
        {0xde, KEY_T, A | S},
        {0xfc, KEY_Y, A},
        {0xdc, KEY_Y, A | S},
        {0xfa, KEY_U, A},
        {0xda, KEY_U, A | S},
        {0xed, KEY_I, A},
        {0xcd, KEY_I, A | S},
        {0xf3, KEY_O, A},
        {0xd3, KEY_O, A | S},
        {0xf6, KEY_P, A},
        {0xd6, KEY_P, A | S},
        {0xab, KEY_LEFTBRACE, A},
        {0xbb, KEY_RIGHTBRACE, A},
        {0xac, KEY_BACKSLASH, A},
        {0xa6, KEY_BACKSLASH, A | S},
        {0xe1, KEY_A, A},
        {0xc1, KEY_A, A | S},
        {0xdf, KEY_S, A},
        {0xa7, KEY_S, A | S},
        {0xf0, KEY_D, A},
        {0xd0, KEY_D, A | S},
        {0xf8, KEY_L, A},
        {0xd8, KEY_L, A | S},
        {0xb6, KEY_SEMICOLON, A},
        {0xb0, KEY_SEMICOLON, A | S},
        {0xb4, KEY_APOSTROPHE, A},
        {0xa8, KEY_APOSTROPHE, A | S},
        {0xe6, KEY_Z, A},
        {0xc6, KEY_Z, A | S},
        {0xa9, KEY_C, A},
        {0xa2, KEY_C, A | S},
        {0xf1, KEY_N, A},
        {0xd1, KEY_N, A | S},
        {0xb5, KEY_M, A},
        {0xe7, KEY_COMMA, A},
        {0xc7, KEY_COMMA, A | S},
        {0xbf, KEY_SLASH, A},
};

/* Keys that are not characters: they go through with whatever modifiers are down. */
static const struct {
	uint32_t keysym;
	uint16_t code;
} function_keys[] = {
        {XK_BackSpace, KEY_BACKSPACE},
        {XK_Tab, KEY_TAB},
        {XK_ISO_Left_Tab, KEY_TAB},
        {XK_Return, KEY_ENTER},
        {XK_Pause, KEY_PAUSE},
        {XK_Scroll_Lock, KEY_SCROLLLOCK},
        {XK_Sys_Req, KEY_SYSRQ},
        {XK_Escape, KEY_ESC},
        {XK_Delete, KEY_DELETE},
        {XK_Home, KEY_HOME},
        {XK_Left, KEY_LEFT},
        {XK_Up, KEY_UP},
        {XK_Right, KEY_RIGHT},
        {XK_Down, KEY_DOWN},
        {XK_Page_Up, KEY_PAGEUP},
        {XK_Page_Down, KEY_PAGEDOWN},
        {XK_End, KEY_END},
        {XK_Print, KEY_SYSRQ},
        {XK_Insert, KEY_INSERT},
        {XK_Menu, KEY_COMPOSE},
        {XK_Num_Lock, KEY_NUMLOCK},
        {XK_KP_Enter, KEY_KPENTER},
        {XK_KP_Home, KEY_KP7},
        {XK_KP_Left, KEY_KP4},
        {XK_KP_Up, KEY_KP8},
        {XK_KP_Right, KEY_KP6},
        {XK_KP_Down, KEY_KP2},
        {XK_KP_Page_Up, KEY_KP9},
        {XK_KP_Page_Down, KEY_KP3},
        {XK_KP_End, KEY_KP1},
        {XK_KP_Begin, KEY_KP5},
        {XK_KP_Insert, KEY_KP0},
        {XK_KP_Delete, KEY_KPDOT},
        {XK_KP_Multiply, KEY_KPASTERISK},
        {XK_KP_Add, KEY_KPPLUS},
        {XK_KP_Separator, KEY_KPCOMMA},
        {XK_KP_Subtract, KEY_KPMINUS},
        {XK_KP_Decimal, KEY_KPDOT},
        {XK_KP_Divide, KEY_KPSLASH},
        {XK_KP_Equal, KEY_KPEQUAL},
        {XK_KP_0, KEY_KP0},
        {XK_KP_1, KEY_KP1},
        {XK_KP_2, KEY_KP2},
        {XK_KP_3, KEY_KP3},
        {XK_KP_4, KEY_KP4},
        {XK_KP_5, KEY_KP5},
        {XK_KP_6, KEY_KP6},
        {XK_KP_7, KEY_KP7},
        {XK_KP_8, KEY_KP8},
        {XK_KP_9, KEY_KP9},
        {XK_F11, KEY_F11},
        {XK_F12, KEY_F12},
        {XK_Shift_L, KEY_LEFTSHIFT},
        {XK_Shift_R, KEY_RIGHTSHIFT},
        {XK_Control_L, KEY_LEFTCTRL},
        {XK_Control_R, KEY_RIGHTCTRL},
        {XK_Caps_Lock, KEY_CAPSLOCK},
        {XK_Meta_L, KEY_LEFTMETA},
        {XK_Meta_R, KEY_RIGHTMETA},
        {XK_Alt_L, KEY_LEFTALT},
        {XK_Alt_R, KEY_RIGHTALT},
        {XK_Super_L, KEY_LEFTMETA},
        {XK_Super_R, KEY_RIGHTMETA},
        {XK_ISO_Level3_Shift, KEY_RIGHTALT},
        {XK_Mode_switch, KEY_RIGHTALT},
};

#undef S
#undef A

static bool lookup_letter(uint32_t keysym, struct keymap_key *out)
{
	uint32_t lower = keysym >= 'A' && keysym <= 'Z' ? keysym + 32 : keysym;

	for (unsigned row = 0; row < 3; row++) {
		const char *p = strchr(letter_rows[row], (int)lower);

		if (lower >= 'a' && lower <= 'z' && p) {
			out->code = (uint16_t)(letter_row_codes[row] + (p - letter_rows[row]));
			out->flags =
			        KEYMAP_CHAR | KEYMAP_LETTER | (lower != keysym ? KEYMAP_SHIFT : 0);
			return true;
		}
	}
	return false;
}

bool keymap_lookup(uint32_t keysym, struct keymap_key *out)
{
	if (lookup_letter(keysym, out))
		return true;
	if (keysym >= 0x20 && keysym <= 0x7e && ascii[keysym - 32].code) {
		out->code = ascii[keysym - 32].code;
		out->flags = KEYMAP_CHAR | ascii[keysym - 32].mods;
		return true;
	}
	for (size_t i = 0; i < sizeof(altgr) / sizeof(altgr[0]); i++) {
		if (altgr[i].keysym == keysym) {
			out->code = altgr[i].code;
			out->flags = KEYMAP_CHAR | altgr[i].mods;
			return true;
		}
	}
	if (keysym >= XK_F1 && keysym <= XK_F10) {
		out->code = (uint16_t)(KEY_F1 + (keysym - XK_F1));
		out->flags = 0;
		return true;
	}
	if (keysym >= XK_F13 && keysym <= XK_F24) {
		out->code = (uint16_t)(KEY_F13 + (keysym - XK_F13));
		out->flags = 0;
		return true;
	}
	for (size_t i = 0; i < sizeof(function_keys) / sizeof(function_keys[0]); i++) {
		if (function_keys[i].keysym == keysym) {
			out->code = function_keys[i].code;
			out->flags = 0;
			return true;
		}
	}
	return false;
}

static bool is_down(const struct keymap_state *s, unsigned code)
{
	return code < 256 && (s->down[code / 8] & (1u << (code % 8)));
}

static void set_down(struct keymap_state *s, unsigned code, bool down)
{
	if (code >= 256)
		return;
	if (down)
		s->down[code / 8] |= (uint8_t)(1u << (code % 8));
	else
		s->down[code / 8] &= (uint8_t) ~(1u << (code % 8));
}

struct out {
	struct virtio_input_event *ev;
	unsigned n;
};

static void emit(struct out *o, uint16_t type, uint16_t code, int32_t value)
{
	if (o->n < KEYMAP_MAX_EVENTS)
		o->ev[o->n++] = (struct virtio_input_event){type, code, value};
}

static void emit_key(struct out *o, uint16_t code, int32_t value)
{
	emit(o, EV_KEY, code, value);
	emit(o, EV_SYN, SYN_REPORT, 0);
}

/*
 * Modifier fix-ups: which of the held modifier keys to let go, and which
 * to press, so that the guest sees exactly the wanted Shift and AltGr.
 */
static unsigned fix_modifiers(const struct keymap_state *s, bool want_shift, bool want_altgr,
                              uint16_t release[3], uint16_t *press, unsigned *npress)
{
	bool shift = is_down(s, KEY_LEFTSHIFT) || is_down(s, KEY_RIGHTSHIFT);
	unsigned nrelease = 0;

	*npress = 0;
	if (want_shift && !shift)
		press[(*npress)++] = KEY_LEFTSHIFT;
	if (!want_shift && is_down(s, KEY_LEFTSHIFT))
		release[nrelease++] = KEY_LEFTSHIFT;
	if (!want_shift && is_down(s, KEY_RIGHTSHIFT))
		release[nrelease++] = KEY_RIGHTSHIFT;
	if (want_altgr && !is_down(s, KEY_RIGHTALT))
		press[(*npress)++] = KEY_RIGHTALT;
	if (!want_altgr && is_down(s, KEY_RIGHTALT))
		release[nrelease++] = KEY_RIGHTALT;
	return nrelease;
}

unsigned keymap_translate(struct keymap_state *s, bool down, uint32_t keysym,
                          struct virtio_input_event ev[KEYMAP_MAX_EVENTS])
{
	struct out o = {ev, 0};
	struct keymap_key key;
	uint16_t release[3], press[2];
	unsigned nrelease, npress;
	bool want_shift;

	if (!keymap_lookup(keysym, &key))
		return 0;
	if (!down) {
		if (is_down(s, key.code)) {
			set_down(s, key.code, false);
			emit_key(&o, key.code, 0);
		}
		return o.n;
	}
	if (key.code == KEY_CAPSLOCK)
		s->caps_lock = !s->caps_lock;
	if (!(key.flags & KEYMAP_CHAR)) {
		/* A held key that the client repeats: evdev's value 2 (autorepeat). */
		emit_key(&o, key.code, is_down(s, key.code) ? 2 : 1);
		set_down(s, key.code, true);
		return o.n;
	}
	want_shift = key.flags & KEYMAP_SHIFT;
	if ((key.flags & KEYMAP_LETTER) && s->caps_lock)
		want_shift = !want_shift;
	nrelease = fix_modifiers(s, want_shift, key.flags & KEYMAP_ALTGR, release, press, &npress);
	for (unsigned i = 0; i < nrelease; i++)
		emit(&o, EV_KEY, release[i], 0);
	for (unsigned i = 0; i < npress; i++)
		emit(&o, EV_KEY, press[i], 1);
	if (nrelease + npress > 0)
		emit(&o, EV_SYN, SYN_REPORT, 0);
	emit_key(&o, key.code, is_down(s, key.code) ? 2 : 1);
	set_down(s, key.code, true);
	/* Back to the modifiers the client holds. */
	for (unsigned i = 0; i < npress; i++)
		emit(&o, EV_KEY, press[i], 0);
	for (unsigned i = 0; i < nrelease; i++)
		emit(&o, EV_KEY, release[i], 1);
	if (nrelease + npress > 0)
		emit(&o, EV_SYN, SYN_REPORT, 0);
	return o.n;
}

unsigned keymap_release_all(struct keymap_state *s, struct virtio_input_event ev[KEYMAP_MAX_EVENTS])
{
	struct out o = {ev, 0};

	for (unsigned code = 1; code < 256 && o.n < KEYMAP_MAX_EVENTS - 1; code++) {
		if (is_down(s, code)) {
			set_down(s, code, false);
			emit(&o, EV_KEY, (uint16_t)code, 0);
		}
	}
	if (o.n > 0)
		emit(&o, EV_SYN, SYN_REPORT, 0);
	return o.n;
}
