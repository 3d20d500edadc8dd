// The Boltzmann wealth model written against MASON's API (sim.engine), for bench/peers.sh: the same model
// as Civitas's scenarios/validation/boltzmann.toml. N agents start with one unit; every step each agent,
// in a fresh random order (MASON's RandomSequence), gives one unit to an agent drawn uniformly (itself
// included) if it has any. This file is Civitas's own code; MASON itself is compiled from the checkout
// the user points bench/peers.sh to.
// Usage: java CivitasBoltzmann N STEPS [SEED]   prints the final Gini coefficient
import sim.engine.RandomSequence;
import sim.engine.SimState;
import sim.engine.Steppable;

public class CivitasBoltzmann extends SimState {
    final int n;
    final int[] wealth;

    public CivitasBoltzmann(long seed, int n) {
        super(seed);
        this.n = n;
        this.wealth = new int[n];
    }

    public void start() {
        super.start();
        java.util.Arrays.fill(wealth, 1);
        Steppable[] agents = new Steppable[n];
        for (int i = 0; i < n; i++) {
            final int me = i;
            agents[i] = new Steppable() {
                public void step(SimState state) {
                    if (wealth[me] > 0) {
                        int other = random.nextInt(n);
                        wealth[me]--;
                        wealth[other]++;
                    }
                }
            };
        }
        schedule.scheduleRepeating(new RandomSequence(agents));
    }

    double gini() {
        int[] w = wealth.clone();
        java.util.Arrays.sort(w);
        double weighted = 0, total = 0;
        for (int i = 0; i < n; i++) {
            weighted += (2.0 * (i + 1) - n - 1) * w[i];
            total += w[i];
        }
        return weighted / (n * total);
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int steps = Integer.parseInt(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        CivitasBoltzmann model = new CivitasBoltzmann(seed, n);
        model.start();
        for (int s = 0; s < steps; s++) model.schedule.step(model);
        model.finish();
        System.out.printf("gini %.4f%n", model.gini());
    }
}
