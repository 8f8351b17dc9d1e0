package calfkit.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sbatch} script of a grid: a Slurm job array with one task per row still to run, where
 * {@code SLURM_ARRAY_TASK_ID} is the row's index in the grid file and each task runs {@code calf train … --resume}
 * for its row, so that a requeued or preempted task continues from its last finished epoch, and a task whose run
 * folder is busy fails on the folder's lock instead of training beside another.
 *
 * <p>Each task appends its output to {@code logs/<run>.log} beside the grid file and writes its exit status to
 * {@code logs/<run>.exit} (what {@code calf grid status} reads); Slurm's own output goes to
 * {@code logs/slurm-<job>_<task>.out}.
 *
 * @param partition   {@code --partition} (null: the cluster's default)
 * @param gpusPerTask {@code --gpus-per-task} (0: none asked)
 * @param cpusPerTask {@code --cpus-per-task}
 * @param time        {@code --time} (null: the partition's limit)
 * @param mem         {@code --mem} (null: the cluster's default)
 * @param arrayLimit  how many tasks run at once ({@code %K} of {@code --array}; 0: no limit)
 */
public record SlurmArray(String partition, int gpusPerTask, int cpusPerTask, String time, String mem, int arrayLimit) {

    public SlurmArray {
        if (gpusPerTask < 0 || cpusPerTask < 1 || arrayLimit < 0) {
            throw new IllegalArgumentException("--gpus-per-task must be ≥ 0, --cpus-per-task ≥ 1 and --array-limit ≥ 0; got "
                    + gpusPerTask + ", " + cpusPerTask + ", " + arrayLimit);
        }
        for (String v : new String[] {partition, time, mem}) {
            if (v != null && !v.matches("[A-Za-z0-9_.:,+-]+")) {
                throw new IllegalArgumentException("'" + v + "' is not a Slurm value (letters, digits and _ . : , + - only)");
            }
        }
    }

    /**
     * The script for {@code rows} of {@code grid}.
     *
     * @param calf the {@code calf} launcher every task runs (on a cluster: on the shared file system)
     */
    public String script(GridPlan grid, List<GridPlan.Row> rows, Path calf) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows to run");
        }
        Path logs = grid.base().resolve(GridPlan.LOGS);
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        s.append("# CALF Kit: the grid ").append(grid.file()).append(" as a Slurm job array, written by calf grid slurm.\n");
        s.append("# One task per row still to run; SLURM_ARRAY_TASK_ID is the row. Submit: sbatch ")
                .append(quote(grid.base().resolve(SLURM_SCRIPT).toString())).append('\n');
        s.append("#SBATCH --job-name=calf-grid\n");
        s.append("#SBATCH --array=").append(arraySpec(rows)).append(arrayLimit > 0 ? "%" + arrayLimit : "").append('\n');
        s.append("#SBATCH --output=").append(logs.resolve("slurm-%A_%a.out")).append('\n');
        s.append("#SBATCH --open-mode=append\n#SBATCH --requeue\n");
        s.append("#SBATCH --cpus-per-task=").append(cpusPerTask).append('\n');
        if (gpusPerTask > 0) {
            s.append("#SBATCH --gpus-per-task=").append(gpusPerTask).append('\n');
        }
        if (partition != null) {
            s.append("#SBATCH --partition=").append(partition).append('\n');
        }
        if (time != null) {
            s.append("#SBATCH --time=").append(time).append('\n');
        }
        if (mem != null) {
            s.append("#SBATCH --mem=").append(mem).append('\n');
        }
        s.append("set -uo pipefail\n");
        s.append("calf=").append(quote(calf.toString())).append('\n');
        s.append("logs=").append(quote(logs.toString())).append('\n');
        s.append("case \"${SLURM_ARRAY_TASK_ID:?submit this script with sbatch}\" in\n");
        for (GridPlan.Row r : rows) {
            s.append("  ").append(r.row()).append(") run=").append(quote(r.run())).append("; scale=").append(r.scale().label())
                    .append("; args=(");
            List<String> args = r.trainArguments(grid.runDir(r));
            for (int i = 0; i < args.size(); i++) {
                s.append(i == 0 ? "" : " ").append(quote(args.get(i)));
            }
            s.append(") ;;\n");
        }
        s.append("  *) echo \"calf grid: no row $SLURM_ARRAY_TASK_ID in this array\" >&2; exit 2 ;;\n");
        s.append("esac\n");
        s.append("mkdir -p \"$logs\" && rm -f \"$logs/$run.exit\"\n");
        s.append("echo \"[$(date '+%F %T')] task ${SLURM_ARRAY_JOB_ID:-?}_${SLURM_ARRAY_TASK_ID} on $(hostname): $run\" "
                + ">>\"$logs/$run.log\"\n");
        s.append("CALF_SCALE=\"$scale\" \"$calf\" train \"${args[@]}\" >>\"$logs/$run.log\" 2>&1\n");
        s.append("rc=$?\necho \"$rc\" >\"$logs/$run.exit\"\nexit \"$rc\"\n");
        return s.toString();
    }

    /** The script's file name beside the grid file. */
    public static final String SLURM_SCRIPT = "slurm.sh";

    /** Row indices as Slurm's {@code --array} list: "0-3,5,7-8". */
    static String arraySpec(List<GridPlan.Row> rows) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < rows.size()) {
            int j = i;
            while (j + 1 < rows.size() && rows.get(j + 1).row() == rows.get(j).row() + 1) {
                j++;
            }
            parts.add(i == j ? Integer.toString(rows.get(i).row()) : rows.get(i).row() + "-" + rows.get(j).row());
            i = j + 1;
        }
        return String.join(",", parts);
    }

    /** A word for bash, in single quotes unless it needs none. */
    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./=:+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
