"""The article store: SQLite (default, FTS5) or PostgreSQL (tsvector), one API for both.

Handlers and jobs never write SQL: they call these functions, each of which
runs in its own short transaction and returns plain frozen dataclasses.

By domain: articles (with adding, and the stories they form), feeds,
subscribers (and the channels linked to them), saved searches, mutes, deliveries (with the push journal), settings; engine opens the
store and holds what differs between the backends.
"""

from __future__ import annotations

from bot.store.adding import Added, NewArticle, add_article, add_articles, regroup_stories
from bot.store.articles import (
    ArticleSource,
    Story,
    StoredArticle,
    StoredQuote,
    article_count,
    articles_for_topic,
    count_stale_analyses,
    delete_articles,
    get_article,
    get_story,
    iter_article_sources,
    latest_articles,
    lead_image_url,
    newest_article_time,
    quotes_by_person,
    quotes_by_speaker,
    quotes_for_topic,
    recent_stories,
    replace_analysis,
    search,
    search_share,
    set_topic_scores,
    story_articles,
    topic_counts,
)
from bot.store.channel_links import (
    LinkedChannel,
    channel_resumed,
    channels_linked_by,
    claim_stop_notice,
    get_linked_channel,
    link_channel,
    set_channel_topics,
    unlink_channel,
)
from bot.store.deliveries import (
    Completion,
    Delivery,
    DeliveryDue,
    SentStoryMark,
    add_delivery_message,
    claim_deliveries,
    deliveries,
    delivery_counts,
    ensure_deliveries,
    get_delivery,
    mark_delivery_failed,
    mark_delivery_sent,
    mark_delivery_skipped,
    oldest_unsent_due,
    record_push,
    record_sent_stories,
    release_deliveries,
    sent_stories,
    sent_stories_of_chats,
)
from bot.store.engine import (
    Store,
    StoreBusy,
    StoreError,
    downgrade_schema,
    open_store,
    schema_revision,
    transaction,
    upgrade_schema,
)
from bot.store.feeds import (
    Feed,
    add_feed,
    due_feeds,
    get_feed,
    list_feeds,
    record_poll_failure,
    record_poll_success,
    remove_feed,
    set_feed_active,
)
from bot.store.stories import (
    StoryReport,
    save_story_summary,
    stale_story_ids,
    story_reports,
    story_size,
)
from bot.store.mutes import (
    Mute,
    TooManyMutes,
    add_mute,
    chat_mutes,
    mutes_of_chats,
    remove_mute,
    remove_story_mutes,
)
from bot.store.searches import (
    SavedSearch,
    TooManySearches,
    add_search,
    chat_searches,
    remove_search,
    search_label,
    searches_of_chats,
)
from bot.store.settings import claim_setting, get_setting, set_setting
from bot.store.subscribers import (
    Subscriber,
    active_subscribers,
    chat_migrated,
    deactivate_subscriber,
    ensure_subscriber,
    forget_chat,
    get_subscriber,
    subscribe,
    subscriber_count,
    subscriptions,
    unsubscribe,
    update_subscriber,
)

__all__ = [name for name in dir() if not name.startswith("_") and name != "annotations"]
