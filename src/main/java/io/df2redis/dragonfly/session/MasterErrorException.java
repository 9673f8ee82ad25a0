package io.df2redis.dragonfly.session;

/**
 * The master answered a command with an error reply. Subclasses name the errors the protocol
 * knows; this class itself stands for any other error text.
 */
public class MasterErrorException extends DragonflyException {
    private final String command;
    private final String reply;

    public MasterErrorException(String command, String reply) {
        super("master refused '" + command + "': -" + reply);
        this.command = command;
        this.reply = reply;
    }

    /** The command as sent (arguments joined by spaces, passwords masked). */
    public String command() {
        return command;
    }

    /** The error line without its leading dash, e.g. {@code ERR invalid state}. */
    public String reply() {
        return reply;
    }

    /** {@code -ERR bad master id}: the master id changed (restarted master or another node). */
    public static final class BadMasterId extends MasterErrorException {
        public BadMasterId(String command, String reply) {
            super(command, reply);
        }
    }

    /** {@code -ERR invalid state}: the session is not in the phase the command needs. */
    public static final class InvalidState extends MasterErrorException {
        public InvalidState(String command, String reply) {
            super(command, reply);
        }
    }

    /** {@code -ERR syncid not found}: the session does not exist (any more). */
    public static final class SyncIdNotFound extends MasterErrorException {
        public SyncIdNotFound(String command, String reply) {
            super(command, reply);
        }
    }

    /** {@code -ERR bad sync id}: the argument is not of the form {@code SYNC<n>}. */
    public static final class BadSyncId extends MasterErrorException {
        public BadSyncId(String command, String reply) {
            super(command, reply);
        }
    }

    /** {@code -ERR value is not an integer or out of range}: e.g. a flow id ≥ the flow count. */
    public static final class ValueOutOfRange extends MasterErrorException {
        public ValueOutOfRange(String command, String reply) {
            super(command, reply);
        }
    }

    /** {@code -ERR syntax error}. */
    public static final class SyntaxError extends MasterErrorException {
        public SyntaxError(String command, String reply) {
            super(command, reply);
        }
    }

    /** {@code -LOADING …}: the master is loading a snapshot; retry after a back-off. */
    public static final class Loading extends MasterErrorException {
        public Loading(String command, String reply) {
            super(command, reply);
        }
    }

    /** Wrong password, unknown user, or a command sent before AUTH on a protected master. */
    public static final class AuthFailed extends MasterErrorException {
        public AuthFailed(String command, String reply) {
            super(command, reply);
        }
    }

    /** {@code -NOPERM}: the ACL user lacks a permission (it needs at least +ping +dfly +replconf). */
    public static final class NoPermission extends MasterErrorException {
        public NoPermission(String command, String reply) {
            super(command, reply);
        }
    }

    /** The node is itself a replica and refuses to be replicated from. */
    public static final class ReplicaOfReplica extends MasterErrorException {
        public ReplicaOfReplica(String command, String reply) {
            super(command, reply);
        }
    }

    /** Maps an error line (without its dash) to the most specific exception. */
    public static MasterErrorException of(String command, String reply) {
        String r = reply == null ? "" : reply;
        String lower = r.toLowerCase(java.util.Locale.ROOT);
        if (r.startsWith("LOADING")) {
            return new Loading(command, r);
        }
        if (r.startsWith("NOPERM")) {
            return new NoPermission(command, r);
        }
        if (r.startsWith("WRONGPASS") || r.startsWith("NOAUTH") || lower.contains("invalid password")
                || lower.contains("invalid username-password") || lower.contains("authentication required")) {
            return new AuthFailed(command, r);
        }
        if (lower.endsWith("bad master id")) {
            return new BadMasterId(command, r);
        }
        if (lower.endsWith("invalid state")) {
            return new InvalidState(command, r);
        }
        if (lower.endsWith("syncid not found")) {
            return new SyncIdNotFound(command, r);
        }
        if (lower.endsWith("bad sync id")) {
            return new BadSyncId(command, r);
        }
        if (lower.contains("value is not an integer or out of range")) {
            return new ValueOutOfRange(command, r);
        }
        if (lower.endsWith("syntax error")) {
            return new SyntaxError(command, r);
        }
        if (lower.contains("replicating a replica is unsupported")) {
            return new ReplicaOfReplica(command, r);
        }
        return new MasterErrorException(command, r);
    }
}
