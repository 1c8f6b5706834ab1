/*
 * channels.h: channel IDs and the names the adapter learnt for them
 * (bot/channels.c), so that config written with names (`#ops` in a watch
 * rule) applies to the IDs messages carry. Kept in memory for the cheap
 * path and in the store (store-channel.c) across restarts.
 */
#ifndef OPSBOT_CHANNELS_H
#define OPSBOT_CHANNELS_H

#include "bot/bot.h"

/* The map; zero-initialised by channel_names_new. */
struct channel_names {
	struct strv	 ids;	/* owned: channel IDs */
	struct strv	 names;	/* owned: names without '#', same order */
};

/*
 * A new map filled from the store's cache (caller owns it: free with
 * channel_names_free). A store error is logged; the map starts empty.
 */
struct channel_names *channel_names_new(struct store *);
void	 channel_names_free(struct channel_names *);	/* accepts NULL */
/* The name of channel id (borrowed from the map), or NULL if unknown. */
const char *channel_name(const struct bot *, const char *id);
/*
 * Records that id is called name ('#' dropped; copied), in memory and in
 * the store (a store error is logged: the memory still has it).
 */
void	 channel_learn(struct bot *, const char *id, const char *name);
/*
 * 1 if channel names a and b are one channel: "#ops", "ops" and "OPS"
 * are (Slack's names are lower case; a config may write them either
 * way). Both non-NULL.
 */
int	 channel_same(const char *a, const char *b);

#endif /* OPSBOT_CHANNELS_H */
