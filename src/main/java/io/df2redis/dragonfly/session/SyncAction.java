package io.df2redis.dragonfly.session;

/** What the session controller should do next, as decided by {@link SyncCoordinator}. */
public enum SyncAction {
    /** Nothing yet: flows still opening, SYNC in flight, or static data not finished everywhere. */
    WAIT,
    /** Send {@code DFLY SYNC} now. */
    SEND_SYNC,
    /** Send {@code DFLY STARTSTABLE} now. */
    SEND_STARTSTABLE,
    /** STARTSTABLE done: every flow is (or is about to be) pure journal. */
    STREAMING,
    /** The epoch is over (a flow lost, SYNC refused): close everything; the next epoch may resume. */
    RESTART,
    /** The epoch is over and the next one must be a full sync (FULL/PARTIAL mix, flush in full sync). */
    RESTART_FULL
}
