/// The name an agent plays under on leaderboards and in confidence trends: the agent's kind, and the checkpoint it
/// plays when it has one (`navigator`, `explorer`, `dqn@ckpt_3f2a…`).
public enum AgentIdentity {
    public static func name(agent: String, checkpoint: String?) -> String {
        guard let checkpoint, !checkpoint.isEmpty else { return agent }
        // A checkpoint given as a path names the agent by its file.
        let file = checkpoint.split(separator: "/").last.map(String.init) ?? checkpoint
        return agent + "@" + file
    }

    static func name(of plan: RunPlan) -> String {
        name(agent: plan.agent, checkpoint: plan.checkpoint ?? plan.resumeFrom)
    }
}
