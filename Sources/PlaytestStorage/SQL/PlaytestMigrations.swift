import FluentKit

/// Every schema migration, in order. Later features append theirs; never reorder or edit a
/// migration that has shipped.
public enum PlaytestMigrations {
    public static func all() -> [any Migration] {
        [
            CreateJobs(),
            CreateWorkers(),
            CreateMaps(),
            CreateRuns(),
            ExtendRuns(),
            CreateRunEpisodes(),
            CreateRunEvents(),
            CreateRunSteps(),
            CreateTrainingMetrics(),
            CreateCheckpoints(),
            CreateArtifacts(),
            EpisodesFromOne(),
            SnakeCaseMapSummaries(),
            CreateMapProgressions(),
            ArtifactReplays(),
            CreateAccounts(),
            EpisodeFigureColumns(),
            CreateAgentProgress(),
            CreatePlayerProgress(),
            CreateProgressAnalytics(),
            QueueProgressRollups(),
            CreateFindings(),
            CreateFindingCounts(),
            FindingTotals(),
            CreateRetention(),
            CreateEpisodeEvidence(),
            CreateRunProse(),
            StepKeysColumn(),
            FindingTextIndex(),
            FindingCountsByLevel(),
            AgentProfilesIndex(),
            FindingsLevelWorst(),
        ]
    }
}
