"""Paper 1's reported numbers (Ayush, Sahu, Ali, Patra), the one place notebooks and the README
compare against."""

N_RDFS = 230
AE_EPOCHS = 800
AE_TRAIN_MSE = 0.005                 # reconstruction MSE after 800 epochs (Fig. 6a)
AE_VALIDATION_MSE_GOAL = 0.003       # this companion's goal for held-out images
LATENT_R2 = 0.92                     # forest on the latent vector, held-out RDFs (Fig. 8b)
PIPELINE_IMAGE_MSE = 0.03            # "below 3 %" for the shown cases (Fig. 9)
PEAK_POSITION_GOAL_ANGSTROM = 0.05   # this companion's goal for the first-peak position
CPU_HOURS_PER_GLASS = 150
QUENCH_RATE_K_PER_PS = 0.4           # "annealed with a rate of 0.4 K/ps in the NVT ensemble"
BOX_ATOMS = "5,000–10,000"           # "Typically a MD simulation box consists of 5000-10000 atoms"
